using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>The C driver's vmx_baseline_vmcs (driver/src/vmx_baseline.c, run by driver/tests/host/baseline_print.c
/// over vmx_caps_read) and the C# VmcsBaseline build the same VMCS from each capability fixture: the same fields, in
/// the same order, with the same values; and both refuse the same impossible capability sets, naming the same MSR bit.</summary>
public class BaselineAgreementTests
{
    private static readonly Lazy<string> Printer = new(Build);

    private static string Build()
    {
        var build = Repo.TempDirectory();
        var exe = Path.Combine(build, "tests", "baseline-print");
        var (exit, output) = Repo.Run("make", $"-C driver --no-print-directory BUILD=\"{build}\" \"{exe}\"");
        Assert.True(exit == 0, output);
        return exe;
    }

    private static string[] ModelNames() =>
        Directory.GetFiles(Path.Combine(Repo.Root, "tests", "fixtures", "caps"), "*.json")
            .Select(p => Path.GetFileNameWithoutExtension(p)!).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    public static TheoryData<string> Models()
    {
        var models = new TheoryData<string>();
        foreach (var model in ModelNames()) models.Add(model);
        return models;
    }

    private static VmxCapabilities Caps(string model, params (Msr Msr, ulong? Value)[] changes)
    {
        var (name, snapshot) = CapabilityDump.ParseSnapshot(File.ReadAllText(Path.Combine(Repo.Root, "tests", "fixtures", "caps", model + ".json")), model);
        var values = new Dictionary<uint, ulong?>();
        foreach (var address in snapshot.Addresses) values[address] = snapshot.TryRead(address, out var v) ? v : null;
        foreach (var (msr, value) in changes) values[(uint)msr] = value;
        return VmxCapabilities.FromMsrs(new MsrSnapshot(values), name);
    }

    private static (int Exit, string Output) RunC(string model, params (Msr Msr, ulong? Value)[] changes)
    {
        var overrides = string.Join(" ", changes.Select(c => $"0x{(uint)c.Msr:x}={(c.Value is { } v ? "0x" + v.ToString("x", CultureInfo.InvariantCulture) : "gp")}"));
        return Repo.Run(Printer.Value, $"{model} {overrides}");
    }

    private static List<string> CSharpLines(VmxCapabilities caps) =>
        VmcsBaseline.Create(caps).Fields.Where(f => !f.Field.IsReadOnly)
            .Select(f => $"0x{f.Field.Encoding:x4} 0x{f.Value:x16}").ToList();

    [Fact]
    public void Every_capability_fixture_is_compared()
    {
        Assert.Equal(Conformance.EntryCaseSet.AllModels.Order(StringComparer.Ordinal), ModelNames());
    }

    [Theory, MemberData(nameof(Models))]
    public void C_and_CSharp_build_the_same_baseline(string model)
    {
        var (exit, output) = RunC(model);
        Assert.True(exit == 0, output);
        var c = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var cs = CSharpLines(Caps(model));
        Assert.True(cs.Count > 100, $"only {cs.Count} fields");
        var onlyC = c.Except(cs).ToList();
        var onlyCs = cs.Except(c).ToList();
        Assert.True(onlyC.Count == 0 && onlyCs.Count == 0,
            $"{model}: C only: {string.Join("; ", onlyC)} | C# only: {string.Join("; ", onlyCs)}");
        Assert.Equal(cs, c);
    }

    [Fact]
    public void C_and_CSharp_agree_with_basic_bit_55_clear()
    {
        var basic = (Msr.Ia32VmxBasic, (ulong?)0x0058_1000_0000_002BUL);
        var (exit, output) = RunC("corei7_skylake_x", basic);
        Assert.True(exit == 0, output);
        Assert.Equal(CSharpLines(Caps("corei7_skylake_x", basic)), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public static TheoryData<string, string, int> Refusals => new()
    {
        // IA32_VMX_TRUE_EXIT_CTLS without allowed-1 bit 9 (host address-space size).
        { "0x48f=0x007ffdff00036dfb", "IA32_VMX_TRUE_EXIT_CTLS", 41 },
        // IA32_VMX_TRUE_ENTRY_CTLS without allowed-1 bit 9 (IA-32e mode guest).
        { "0x490=0x0000fdff000011fb", "IA32_VMX_TRUE_ENTRY_CTLS", 41 },
        // IA32_VMX_CR4_FIXED1 without PAE.
        { "0x489=0x3727df", "IA32_VMX_CR4_FIXED1", 5 },
    };

    [Theory, MemberData(nameof(Refusals))]
    public void C_and_CSharp_refuse_the_same_capabilities(string change, string msr, int bit)
    {
        var parts = change.Split('=');
        var address = (Msr)uint.Parse(parts[0][2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var value = ulong.Parse(parts[1][2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var (exit, output) = RunC("corei7_skylake_x", (address, value));
        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.Contains($"{msr} bit {bit} is 0", output);
        var error = Assert.Throws<VmcsBaselineException>(() => VmcsBaseline.Create(Caps("corei7_skylake_x", (address, value))));
        Assert.Equal((msr, bit), (error.Msr, error.MsrBit));
    }
}
