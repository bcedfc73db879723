using System;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Vmx.Spec.Loading;

namespace Vmx.Benchmarks;

/// <summary>Issue 9's figures: what `vmxgen check` costs on the real spec plus one file at the edge of each of the
/// loader's YAML limits (the largest input the limit still admits). Each file is refused by the spec format with a
/// few errors, so the time is the YAML guard and node building, not printing diagnostics.</summary>
[MemoryDiagnoser]
public class YamlLimitBenchmarks
{
    private string _root = "";

    [Params("none", "size", "depth", "aliases")]
    public string Edge { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "vmxgen-yaml-limits-" + Guid.NewGuid().ToString("N"));
        var source = Path.Combine(GeneratorBenchmarks.RepoRoot(), "spec");
        foreach (var file in Directory.GetFiles(source, "*.yaml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_root, "spec", Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var text = EdgeFile(Edge);
        if (text is not null)
        {
            if (text.Length > YamlGuard.MaxDocumentChars) throw new InvalidOperationException("edge file beyond the size limit");
            File.WriteAllText(Path.Combine(_root, "spec", "edge.yaml"), text);
        }
        // The edge file must reach node building: refused by the spec format, never by the guard.
        var err = new StringWriter();
        new Vmx.Cli.CommandLine(new StringWriter(), err, _root).Run(new[] { "check" });
        if (System.Text.RegularExpressions.Regex.IsMatch(err.ToString(), "VMX002[345]")) throw new InvalidOperationException("edge file refused by a YAML limit:\n" + err);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    private static string? EdgeFile(string edge)
    {
        const string head = "sdm-revision: x\nmsrs:\n  - description: ";
        switch (edge)
        {
            case "size":
                // 1 MiB less a little: one flow list of 4-letter values, under the value limit too (about 174000 values).
                var values = (YamlGuard.MaxDocumentChars - head.Length - 8) / 6;
                return head + "[" + string.Join(", ", Enumerable.Repeat("abcd", values)) + "]\n";
            case "depth":
                // As many lists nested to the depth limit as the value limit admits (the file's mapping, msrs, its
                // entry and the outer list are 4 of the 64 levels).
                var depth = YamlGuard.MaxNestingDepth - 4;
                var one = new string('[', depth) + new string(']', depth);
                var count = (int)((YamlGuard.MaxExpandedNodes - 16) / depth);
                return head + "[" + string.Join(", ", Enumerable.Repeat(one, count)) + "]\n";
            case "aliases":
                // Five levels of ten aliases each: 123463 values defined, one more use of level 3 stays under 200000.
                var text = new StringBuilder("sdm-revision: x\nl0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
                for (var i = 1; i < 5; i++) text.Append($"l{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]\n");
                return text.Append("msrs:\n  - description: *a3\n").ToString();
            default:
                return null;
        }
    }

    [Benchmark(Description = "vmxgen check (spec/ + edge file)")]
    public int Check()
    {
        var err = new StringWriter();
        return new Vmx.Cli.CommandLine(new StringWriter(), err, _root).Run(new[] { "check" });
    }
}
