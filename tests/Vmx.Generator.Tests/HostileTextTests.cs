using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Vmx.Spec;
using Vmx.Spec.Emit;
using Vmx.Spec.Model;
using OutputKind = Vmx.Spec.Emit.OutputKind;
using Xunit;

namespace Vmx.Generator.Tests;

/// <summary>Text from the spec is escaped where each template writes it: every title, section and description of
/// the real spec replaced by text that would break a C comment, a C string, an XML doc comment or a Markdown table
/// still generates C that gcc and clang accept with -Werror -pedantic and C# without errors or warnings.</summary>
public class HostileTextTests
{
    public static TheoryData<string> Texts() => new()
    {
        "ends */ a C comment and opens /* another",
        "trigraphs ??) ??( ??/ and ??= here",
        "two lines\nsecond line /// escapes?\r\nthird",
        "XML & <metacharacters> > here",
        "quote \" and back\\slash \\",
        "table | pipe\tand tab",
        "non-ASCII é ü ✓ and a control \u0001 character",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Hostile_text_generates_csharp_without_errors_or_warnings(string text)
    {
        var model = WithText(RealModel(), text);
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var generated = Emitter.Emit(model, OutputKind.CSharp)
            .Select(f => CSharpSyntaxTree.ParseText(f.Content, parse, f.Path)).ToList();
        var compilation = GeneratorHarness.RuntimeCompilation().AddSyntaxTrees(generated);

        var paths = generated.Select(t => t.FilePath).ToHashSet();
        var problems = compilation.GetDiagnostics()
            // CS1591 (a public member without a doc comment) is about coverage, not about escaping.
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591" && paths.Contains(d.Location.SourceTree?.FilePath ?? ""))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Hostile_text_generates_c_that_compiles_with_strict_flags(string text)
    {
        var dir = Directory.CreateTempSubdirectory("vmxgen-hostile-").FullName;
        var headers = Emitter.Emit(WithText(RealModel(), text), OutputKind.C);
        var source = WriteHeaderTree(dir, headers) +
                     "int vmxgen_probe(void) { return (int)vmx_exit_reason_title(0)[0] + (int)vmx_msr_title(0x480)[0] + (int)vmx_instruction_error_title(1)[0]; }\n";
        File.WriteAllText(Path.Combine(dir, "probe.c"), source);

        foreach (var compiler in new[] { "gcc", Clang })
        {
            var (exit, output) = Run(compiler, $"-std=c11 -Wall -Wextra -Werror -pedantic -c probe.c -o probe.o", dir);
            Assert.True(exit == 0, $"{compiler}:\n{output}");
        }
    }

    /// <summary>Lays the headers out as driver/include/vmx does (generated/ beside the hand-written check engine they
    /// include) and returns the probe's includes, with the checks' definitions compiled in.</summary>
    internal static string WriteHeaderTree(string dir, IReadOnlyList<GeneratedFile> headers)
    {
        Directory.CreateDirectory(Path.Combine(dir, "generated"));
        foreach (var header in headers) File.WriteAllText(Path.Combine(dir, "generated", header.Path), header.Content);
        File.Copy(Path.Combine(GeneratorHarness.RepoRoot, "driver", "include", "vmx", "check_engine.h"), Path.Combine(dir, "check_engine.h"));
        return "#define VMX_CHECKS_IMPLEMENTATION\n" + string.Concat(headers.Select(h => $"#include \"generated/{h.Path}\"\n"));
    }

    [Fact]
    public void Hostile_text_stays_visible_but_disarmed()
    {
        Assert.Equal("a * / b / * c ? ?) d", Names.CComment("a */ b /* c ??) d"));
        Assert.Equal("\"?\\?) \\\"q\\\" \\n\"", Names.CLiteral("??) \"q\" \n"));
        Assert.Equal("\"??) \\n\"", Names.CsLiteral("??) \n"));
        Assert.Equal("A &amp; &lt;b&gt; two lines", Names.XmlComment("A & <b>\n\ntwo lines").Replace("  ", " "));
        Assert.Equal("a \\| b c", Names.Cell("a | b\nc"));
    }

    /// <summary>Debian names clang clang-NN; the test command installs one (driver/tools/install-deps.sh).</summary>
    internal static string Clang { get; } = new[] { "clang", "clang-19", "clang-16", "clang-15", "clang-14" }
        .FirstOrDefault(c => Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, c)))) ?? "clang";

    private static SpecModel RealModel() =>
        SpecLoader.LoadDirectory(Path.Combine(GeneratorHarness.RepoRoot, "spec"), GeneratorHarness.RepoRoot).Model;

    /// <summary>The model with every free text (titles, sections, descriptions, group names) replaced by <paramref name="text"/>.</summary>
    private static SpecModel WithText(SpecModel m, string text) => m with
    {
        VmcsFields = m.VmcsFields.Select(f => f with { Title = text, Description = text, Section = text, Group = text }).ToEquatableArray(),
        ControlFields = m.ControlFields.Select(c => c with
        {
            Title = text, Section = text,
            Bits = c.Bits.Select(b => b with { Title = text, Description = text }).ToEquatableArray(),
        }).ToEquatableArray(),
        Layouts = m.Layouts.Select(l => l with
        {
            Title = text, Section = text, Description = text,
            Fields = l.Fields.Select(f => f with { Title = text, Description = text }).ToEquatableArray(),
        }).ToEquatableArray(),
        Enums = m.Enums.Select(e => e with
        {
            Title = text, Section = text, Description = text,
            Values = e.Values.Select(v => v with { Title = text, Description = text }).ToEquatableArray(),
        }).ToEquatableArray(),
        Msrs = m.Msrs.Select(x => x with { Title = text, Section = text, Description = text }).ToEquatableArray(),
        ExitReasons = m.ExitReasons.Select(x => x with { Title = text, Section = text, Description = text }).ToEquatableArray(),
        InstructionErrors = m.InstructionErrors.Select(x => x with { Title = text, Section = text, Description = text }).ToEquatableArray(),
    };

    internal static (int, string) Run(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
