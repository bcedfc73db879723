using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Vmx.Generator.Tests;

/// <summary>Issue 9 through the Roslyn generator in-process: YAML that used to overflow the compiler's stack, hang it,
/// be mislocated or be accepted against the schema is one located VMX error, the generator run has no exception and
/// emits nothing. A stack overflow here would end the test run itself.</summary>
public class HostileYamlGeneratorTests
{
    private static string Bomb(bool asKey)
    {
        var text = new StringBuilder("sdm-revision: x\nl0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
            text.Append($"l{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]\n");
        return text.Append(asKey ? "? *a9\n: v\n" : "msrs: *a9\n").ToString();
    }

    // (line, column) 1-based, as the build prints them.
    public static TheoryData<string, string, int, int, string> Files() => new()
    {
        { "self-key.yaml", "sdm-revision: x\n? &k [a, *k]\n: v\n", 2, 3, "a mapping key must be a plain value" },
        { "self-value.yaml", "sdm-revision: x\nmsrs: &k [a, *k]\n", 2, 14, "alias *k refers to the node that contains it" },
        // The first bracket is column 17; the file's mapping and the msrs list are 2 of the 64 levels.
        { "brackets.yaml", "sdm-revision: x\nmsrs:\n  - description: " + new string('[', 100_000) + "\n", 3, 17 + 62, "nested more than 64 deep" },
        // Levels 0-4 and level 5's opening bracket expand to 123465 values; level 5's first *a4 (column 10) adds 111111.
        { "bomb-key.yaml", Bomb(asKey: true), 7, 10, "more than 200000 values" },
        { "unclosed.yaml", "sdm-revision: x\nmsrs:\n  - exists: {a: b\n", 3, 13, "this '{' is never closed by a matching '}'" },
        { "no-anchor.yaml", "sdm-revision: x\nmsrs: *nowhere\n", 2, 7, "alias *nowhere refers to no anchor" },
        { "tab.yaml", "sdm-revision: x\nmsrs: []\n\tenums: []\n", 3, 1, "a tab in indentation" },
        { "control.yaml", "sdm-revision: \"a\u001Bb\"\n", 1, 17, "the character U+001B" },
        { "replacement.yaml", "sdm-revision: x\n# caf\uFFFD\n", 2, 6, "bytes that are not UTF-8" },
        { "quoted-bool.yaml", "sdm-revision: x\ncontrol-fields:\n  - id: pin\n    bits:\n      - id: a\n        default1: \"false\"\n", 6, 19,
            "'default1' must be true or false, not the quoted text 'false'" },
        { "null-title.yaml", "sdm-revision: x\nexit-reasons:\n  - id: triple_fault\n    number: 2\n    title: null\n", 5, 12,
            "'title' must be a text, not 'null'" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_hostile_file_is_a_located_error_not_a_compiler_crash(string name, string text, int line, int column, string message)
    {
        var path = Path.Combine(GeneratorHarness.FixtureDirectory, name);
        var (driver, _, diagnostics) = GeneratorHarness.Run(ImmutableArray.Create<AdditionalText>(new InMemoryText(path, text)));

        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(result.GeneratedSources);
        var located = diagnostics.Where(d => d.Location.GetLineSpan().Path == path).ToList();
        var error = located.FirstOrDefault(d => d.GetMessage().Contains(message));
        Assert.True(error is not null, string.Join("\n", diagnostics));
        Assert.Equal(DiagnosticSeverity.Error, error!.Severity);
        var start = error.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((line, column), (start.Line + 1, start.Character + 1));
    }

    /// <summary>What csc hands the generator for a file that is not UTF-8: the text decoded with its fallback code page.</summary>
    private sealed class DecodedText : AdditionalText
    {
        private readonly SourceText _text;
        public DecodedText(string path, byte[] bytes, Encoding encoding) => (Path, _text) = (path, SourceText.From(encoding.GetString(bytes), encoding));
        public override string Path { get; }
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    [Fact]
    public void A_latin1_byte_the_compiler_decoded_with_its_fallback_code_page_is_located_at_the_byte()
    {
        var path = Path.Combine(GeneratorHarness.FixtureDirectory, "latin1.yaml");
        // A Latin-1 e-acute (0xE9) at line 2 column 8; the UTF-8 e-acute before it stays one letter, one column.
        var bytes = Encoding.UTF8.GetBytes("sdm-revision: x\n# \u00E9 caf").Concat(new byte[] { 0xE9, (byte)'\n' }).ToArray();
        var (driver, _, diagnostics) = GeneratorHarness.Run(ImmutableArray.Create<AdditionalText>(new DecodedText(path, bytes, Encoding.Latin1)));

        Assert.Null(driver.GetRunResult().Results.Single().Exception);
        var error = Assert.Single(diagnostics);
        Assert.Equal("VMX0025", error.Id);
        Assert.Contains("bytes that are not UTF-8", error.GetMessage());
        var start = error.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((2, 8), (start.Line + 1, start.Character + 1));
    }

    [Fact]
    public void A_utf8_file_read_with_a_code_page_keeps_its_letters()
    {
        var path = Path.Combine(GeneratorHarness.FixtureDirectory, "codepage.yaml");
        var bytes = Encoding.UTF8.GetBytes("sdm-revision: \"caf\u00E9\"\nmsrs: []\n");
        var (_, _, diagnostics) = GeneratorHarness.Run(ImmutableArray.Create<AdditionalText>(new DecodedText(path, bytes, Encoding.Latin1)));
        Assert.Empty(diagnostics.Where(d => d.Id == "VMX0025"));
    }
}
