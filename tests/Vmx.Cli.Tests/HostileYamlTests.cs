using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace Vmx.Cli.Tests;

/// <summary>Input that used to crash, hang or be mislocated, through `vmxgen check`: each gets a located error in the
/// loader's words, at the mistake. (The same inputs go through a real dotnet build in Vmx.Consistency.Tests.)</summary>
public class HostileYamlTests
{
    private static string AliasBomb(bool asKey)
    {
        var text = new StringBuilder("sdm-revision: x\nl0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++) text.Append($"l{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]\n");
        text.Append(asKey ? "? *a9\n: v\n" : "msrs: *a9\n");
        return text.ToString();
    }

    public static TheoryData<string, string, string> Cases => new()
    {
        { "sdm-revision: x\n? &k [a, *k]\n: v\n", "(2,3): error VMX0024", "a mapping key must be a plain value, not a list or mapping" },
        { "sdm-revision: x\nmsrs:\n  - description: " + new string('[', 100_000) + new string(']', 100_000) + "\n", "(3,79): error VMX0023",
            "lists and mappings are nested more than 64 deep here" },
        { AliasBomb(asKey: true), "(7,10): error VMX0023", "more than 200000 values" },
        { AliasBomb(asKey: false), "(7,10)", "error VMX0023: the file expands (aliases counted in full) to more than 200000 values here" },
        { "sdm-revision: x\nmsrs:\n  - exists: [proc2.virtual_interrupt_delivery\n", "(3,13): error VMX0001",
            "malformed YAML: this '[' is never closed by a matching ']'" },
        { "sdm-revision: x\nmsrs: *nowhere\n", "(2,7): error VMX0001", "alias *nowhere refers to no anchor &nowhere defined before it" },
        { "sdm-revision: x\n\tmsrs: []\n", "(2,1): error VMX0001", "malformed YAML: a tab in indentation" },
        { "sdm-revision: x\nmsrs: [\u0001]\n", "(2,8): error VMX0025", "the character U+0001" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Is_refused_with_a_located_error(string text, string location, string message)
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Spec);
        File.WriteAllText(Path.Combine(temp.Spec, "hostile.yaml"), text);

        var run = Cli.Invoke(temp.Path, "check");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(Path.Combine("spec", "hostile.yaml") + location, run.Err);
        Assert.Contains(message, run.Err);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_located()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Spec);
        // "café" written in Latin-1: the 0xE9 byte is not UTF-8.
        File.WriteAllBytes(Path.Combine(temp.Spec, "latin1.yaml"), Encoding.ASCII.GetBytes("sdm-revision: caf").Concat(new byte[] { 0xE9, 0x0A }).ToArray());

        var run = Cli.Invoke(temp.Path, "check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(Path.Combine("spec", "latin1.yaml") + "(1,18): error VMX0025: the file holds bytes that are not UTF-8", run.Err);
    }

    [Theory]
    [InlineData("controls/execution.yaml", "default1: false", "default1: \"false\"", 10, "error VMX0026: 'default1' must be true or false, not the quoted text 'false'")]
    [InlineData("exits/exit-reasons.yaml", "    title: Triple fault", "    title: ~", 7, "error VMX0004: 'title' must be a text, not 'null'")]
    public void A_value_of_the_wrong_yaml_type_is_located(string file, string find, string replace, int columnOffset, string message)
    {
        using var temp = new TempDir().CopySpec();
        var at = temp.Edit(file.Replace('/', Path.DirectorySeparatorChar), find, replace);

        var run = Cli.Invoke(temp.Path, "check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{Path.Combine("spec", file.Replace('/', Path.DirectorySeparatorChar))}({at.Line},{at.Column + columnOffset}): {message}", run.Err);
    }
}
