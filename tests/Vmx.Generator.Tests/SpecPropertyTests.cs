using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Vmx.Spec;
using Vmx.Spec.Emit;
using Xunit;
using OutputKind = Vmx.Spec.Emit.OutputKind;

namespace Vmx.Generator.Tests;

/// <summary>The promise of issue 9 as a property: the real spec plus a random file of new entries — names drawn to include
/// C/C# keywords, separator and case twins, names of the generator's own members and invalid ones; titles drawn from
/// hostile text — is either rejected with diagnostics located inside the files, or generates C that gcc and clang accept
/// with -Werror -pedantic and C# that compiles without warnings. A failing case prints its CsCheck seed; add it to
/// <see cref="RegressionSeeds"/> so it runs every time.</summary>
public class SpecPropertyTests
{
    /// <summary>"": a fresh random run. Then the seeds of cases that once failed:
    /// 0002cr52G8t1 — a layout with id info became struct Info with a member Info (CS0542), so a C# type's own name is
    /// now reserved in its scope (VMX0060).</summary>
    public static readonly TheoryData<string> RegressionSeeds = new() { "", "0002cr52G8t1" };

    private static readonly string[] Ids =
    {
        "value", "reserved", "info", "class", "int", "for", "none", "with_x", "x", "x_0", "x0", "to_string", "equals", "get_type",
        "guest_rip", "ia32_efer", "a__b", "field_count", "pe", "count", "X", "9a", "a-b",
    };

    private static readonly string[] MsrNames = { "IA32_EFER", "VMX_PROBE", "A-B", "probe_x", "X_0", "X0", "NONE", "IA32_VMX_BASIC" };

    private static readonly string[] Texts =
    {
        "plain", "ends */ a comment /* opens one", "trigraph ??) ??/ ??=", "two\nlines\r\n/// more", "XML & <x> >",
        "quote \" back\\slash", "pipe | tab\t", "non-ASCII é ✓", "control \u0001 char", "",
    };

    private static Gen<string> Pick(string[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    /// <summary>Mostly ordinary names (so most cases reach the compilers), sometimes a hostile one.</summary>
    private static Gen<string> Name(string[] hostile, Gen<string> ordinary) => Gen.Frequency((3, ordinary), (2, Pick(hostile)));

    private static readonly Gen<string> Word = Gen.Char['a', 'z'].Array[3, 8].Select(c => "p" + new string(c));

    /// <summary>A YAML file of new entries: one layout with two fields, an MSR using it, an exit reason.</summary>
    private static readonly Gen<string> ExtraFile =
        Gen.Select(Name(Ids, Word), Name(Ids, Word), Name(Ids, Word), Name(MsrNames, Word.Select(w => w.ToUpperInvariant())), Name(Ids, Word),
            Pick(Texts), Pick(Texts), Gen.Int[200, 255],
            (layout, field1, field2, msr, exit, title, description, number) =>
            $$"""
            sdm-revision: "325462-086US"
            layouts:
              - id: {{layout}}
                title: {{Yaml(title)}}
                section: {{Yaml(description)}}
                width: 32
                description: {{Yaml(description)}}
                fields:
                  - {id: {{field1}}, bits: 0, title: {{Yaml(title)}}}
                  - {id: {{field2}}, bits: '2:1', title: {{Yaml(description)}}}
            msrs:
              - id: {{exit}}_msr
                name: {{msr}}
                address: 0x4D0000{{number:X2}}
                title: {{Yaml(title)}}
                layout: {{layout}}
            exit-reasons:
              - id: {{exit}}
                number: {{number}}
                title: {{Yaml(title)}}
                description: {{Yaml(description)}}
            """);

    /// <summary>A YAML double-quoted scalar (JSON's string syntax is YAML's).</summary>
    private static string Yaml(string text) => text.Length == 0 ? "\"-\"" : JsonSerializer.Serialize(text);

    private static readonly Lazy<IReadOnlyList<(string Path, string Text)>> RealSpec = new(() =>
        SpecLoader.FindFiles(Path.Combine(GeneratorHarness.RepoRoot, "spec")).Select(p => (p, File.ReadAllText(p))).ToList());

    [Theory]
    [MemberData(nameof(RegressionSeeds))]
    public void A_spec_is_either_rejected_with_located_errors_or_generates_code_that_compiles(string seed)
    {
        int accepted = 0, rejected = 0;
        ExtraFile.Sample(extra => { if (CheckOne(extra)) accepted++; else rejected++; }, iter: 16, threads: 1, seed: seed.Length == 0 ? null : seed);
        // Both outcomes must occur, or the property checks one side only.
        if (seed.Length == 0) Assert.True(accepted > 0 && rejected > 0, $"{accepted} accepted, {rejected} rejected");
    }

    /// <summary>True when the spec was accepted (and its code compiled), false when it was rightly rejected.</summary>
    private static bool CheckOne(string extra)
    {
        var path = Path.Combine(GeneratorHarness.RepoRoot, "spec", "zz-extra.yaml");
        var files = RealSpec.Value.Append((Path: path, Text: extra)).ToList();
        var result = SpecLoader.LoadFiles(files, GeneratorHarness.RepoRoot);
        if (result.HasErrors)
        {
            var texts = files.ToDictionary(f => Path.GetRelativePath(GeneratorHarness.RepoRoot, f.Path), f => f.Text);
            foreach (var d in result.Diagnostics)
            {
                var l = d.Location;
                Assert.True(texts.TryGetValue(l.Path, out var text), $"{d}: not located in a spec file\n{extra}");
                Assert.True(l.Line >= 1 && l.Column >= 1 && l.Start >= 0 && l.Start <= l.End && l.End <= text!.Length, $"{d}: outside its file\n{extra}");
            }
            return false;
        }
        AssertCCompiles(Emitter.Emit(result.Model, OutputKind.C), extra);
        AssertCSharpCompiles(Emitter.Emit(result.Model, OutputKind.CSharp), extra);
        return true;
    }

    private static void AssertCCompiles(IReadOnlyList<GeneratedFile> headers, string extra)
    {
        var dir = Directory.CreateTempSubdirectory("vmxgen-property-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "probe.c"), HostileTextTests.WriteHeaderTree(dir, headers) + "int vmxgen_probe(void) { return 0; }\n");
            foreach (var compiler in new[] { "gcc", HostileTextTests.Clang })
            {
                var (exit, output) = HostileTextTests.Run(compiler, "-std=c11 -Wall -Wextra -Werror -pedantic -c probe.c -o probe.o", dir);
                Assert.True(exit == 0, $"{compiler} rejects the C of an accepted spec:\n{output}\n--- spec/zz-extra.yaml:\n{extra}");
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static void AssertCSharpCompiles(IReadOnlyList<GeneratedFile> sources, string extra)
    {
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var trees = sources.Select(f => CSharpSyntaxTree.ParseText(f.Content, parse, f.Path)).ToList();
        var compilation = GeneratorHarness.RuntimeCompilation().AddSyntaxTrees(trees);
        var paths = trees.Select(t => t.FilePath).ToHashSet();
        var problems = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error ||
                        (d.Severity == DiagnosticSeverity.Warning && d.Id != "CS1591" && paths.Contains(d.Location.SourceTree?.FilePath ?? "")))
            .ToList();
        Assert.True(problems.Count == 0, $"the C# of an accepted spec does not compile:\n{string.Join("\n", problems.Take(10))}\n--- spec/zz-extra.yaml:\n{extra}");
    }
}
