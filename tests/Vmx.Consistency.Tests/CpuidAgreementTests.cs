using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>C and C# agree on every CPUID entry: a C program built from the committed vmx_cpuid.h prints each entry's
/// leaf, subleaf, shift, width, mask and what its extract function returns for a few register values; each is compared
/// with the generated CpuidCatalog.</summary>
public class CpuidAgreementTests
{
    // All ones, alternating bits both ways, and a typical CPUID.80000008H:EAX (48-bit linear, 39-bit physical).
    private static readonly uint[] Samples = { 0xFFFFFFFFu, 0xAAAAAAAAu, 0x55555555u, 0x00003027u, 0u };

    private static readonly Lazy<Dictionary<string, string>> CValues = new(BuildAndRunPrinter);

    private static string Stem(CpuidInfo x) => x.Id.Replace('.', '_');

    private static Dictionary<string, string> BuildAndRunPrinter()
    {
        var c = new StringBuilder("#include <stdio.h>\n#include <stdint.h>\n#include \"vmx_cpuid.h\"\n");
        c.Append("#define P(key, value) printf(\"%s %llu\\n\", key, (unsigned long long)(value))\nint main(void) {\n");
        foreach (var x in CpuidCatalog.All)
        {
            var macro = "VMX_" + Stem(x).ToUpperInvariant();
            c.Append($"P(\"{x.Id}.leaf\", {macro}_LEAF);\nP(\"{x.Id}.shift\", {macro}_SHIFT);\n");
            c.Append($"P(\"{x.Id}.width\", {macro}_WIDTH);\nP(\"{x.Id}.mask\", {macro}_MASK);\n");
            if (x.Subleaf is not null) c.Append($"P(\"{x.Id}.subleaf\", {macro}_SUBLEAF);\n");
            foreach (var sample in Samples) c.Append($"P(\"{x.Id}.extract.{sample:X8}\", vmx_{Stem(x)}(0x{sample:X8}u));\n");
        }
        c.Append("return 0;\n}\n");
        var exe = Path.Combine(Repo.TempDirectory(), "print_cpuid");
        var (exit, output) = CCompiler.Compile("gcc", c.ToString(), exe);
        Assert.True(exit == 0, output);
        var (runExit, printed) = Repo.Run(exe, "");
        Assert.Equal(0, runExit);
        return printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    public static IEnumerable<object[]> Entries() => CpuidCatalog.All.Select(x => new object[] { x.Id });

    [Theory]
    [MemberData(nameof(Entries))]
    public void Each_cpuid_entry_agrees(string id)
    {
        var x = CpuidCatalog.All.Single(e => e.Id == id);
        var c = CValues.Value;
        Assert.Equal(x.Leaf.ToString(), c[id + ".leaf"]);
        Assert.Equal(x.Lsb.ToString(), c[id + ".shift"]);
        Assert.Equal(x.Width.ToString(), c[id + ".width"]);
        Assert.Equal(x.Mask.ToString(), c[id + ".mask"]);
        if (x.Subleaf is { } subleaf) Assert.Equal(subleaf.ToString(), c[id + ".subleaf"]);
        else Assert.False(c.ContainsKey(id + ".subleaf"), $"{id} has no subleaf in C#");
        foreach (var sample in Samples) Assert.Equal(x.Extract(sample).ToString(), c[$"{id}.extract.{sample:X8}"]);
    }

    [Fact]
    public void The_entries_the_driver_reads_are_in_both_languages()
    {
        // The bare-metal boot asserts LM against the header; MAXPHYADDR bounds every physical address the checks test.
        foreach (var id in new[] { "cpuid.80000001.edx.lm", "cpuid.80000008.eax.maxphyaddr" })
        {
            Assert.Contains(CpuidCatalog.All, x => x.Id == id);
            Assert.True(CValues.Value.ContainsKey(id + ".mask"), $"{id} missing from vmx_cpuid.h");
        }
    }
}
