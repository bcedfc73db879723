using System.IO;
using System.Linq;
using Vmx.Spec.Emit;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>The committed outputs are what the spec generates today: a spec change without regenerated
/// headers or reference fails here (run `dotnet cake` and commit the result).</summary>
public class FreshnessTests
{
    [Theory]
    [InlineData(OutputKind.C, "driver/include/vmx/generated")]
    [InlineData(OutputKind.Docs, "spec/reference")]
    public void Committed_outputs_match_the_spec(OutputKind kind, string directory)
    {
        var spec = Repo.LoadSpec();
        Assert.False(spec.HasErrors, string.Join("\n", spec.Diagnostics));

        // What `vmxgen generate` writes: with the docs, the diagnostics rules page too.
        var files = Vmx.Cli.Verbs.Outputs(spec.Model, kind);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var path = Path.Combine(Repo.Root, directory, file.Path);
            Assert.True(File.Exists(path), $"{path} is missing: run `dotnet cake`");
            Assert.True(File.ReadAllText(path) == file.Content, $"{path} is stale: run `dotnet cake` and commit it");
        }
        var extra = Directory.GetFiles(Path.Combine(Repo.Root, directory))
            .Select(Path.GetFileName).Except(files.Select(f => f.Path)).ToList();
        Assert.True(extra.Count == 0, $"files in {directory} that the spec no longer generates: {string.Join(", ", extra)}");
    }
}
