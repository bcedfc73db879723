using System.IO;
using Xunit;

namespace Vmx.Runtime.Tests;

public class CapabilityDumpTests
{
    [Fact]
    public void Gp_values_read_as_absent()
    {
        var (model, msrs) = CapabilityDump.ParseSnapshot(File.ReadAllText(Fixtures.CapsPath(Fixtures.Penryn)));
        Assert.Equal(Fixtures.Penryn, model);
        Assert.Null(msrs[Msr.Ia32VmxEptVpidCap]);
        Assert.Equal(0x00d810000000002bUL, msrs[Msr.Ia32VmxBasic]);
    }

    [Fact]
    public void Format_round_trips()
    {
        var (model, msrs) = CapabilityDump.ParseSnapshot(File.ReadAllText(Fixtures.CapsPath(Fixtures.Tigerlake)));
        var again = CapabilityDump.ParseSnapshot(CapabilityDump.Format(msrs, model));
        Assert.Equal(model, again.Model);
        Assert.Equal(msrs.Addresses, again.Msrs.Addresses);
        foreach (var address in msrs.Addresses)
            Assert.Equal(msrs.TryRead(address, out var a) ? a : (ulong?)null, again.Msrs.TryRead(address, out var b) ? b : null);
    }

    [Theory]
    [InlineData("{\"msrs\": {\n  \"0x480\": 12,,\n}}", 2, "not valid JSON")]
    [InlineData("{\"model\": \"x\",\n \"msrs\": {\n    \"0x999\": \"0x1\"}}", 3, "unknown MSR 0x999")]
    [InlineData("{\"msrs\": {\"0x480\": \"0xZZ\"}}", 1, "the value of MSR 0x480 must be a number")]
    [InlineData("{\"model\": \"x\"}", 1, "no \"msrs\" object")]
    [InlineData("[1, 2]", 1, "a capability dump is a JSON object")]
    public void Bad_dumps_are_located_errors(string json, int line, string problem)
    {
        var e = Assert.Throws<DumpFormatException>(() => CapabilityDump.Parse(json, "caps.json"));
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith($"caps.json({line},", e.Message);
    }

    [Fact]
    public void Unknown_msr_points_at_its_key()
    {
        var e = Assert.Throws<DumpFormatException>(() => CapabilityDump.Parse("{\"msrs\": {\n    \"0x999\": \"0x1\"}}", "d.json"));
        Assert.Equal((2, 5), (e.Line, e.Column));
    }
}
