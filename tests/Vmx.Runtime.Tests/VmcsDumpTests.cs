using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

public class VmcsDumpTests
{
    [Fact]
    public void Save_then_load_gives_the_same_vmcs()
    {
        var caps = Fixtures.Caps(Fixtures.Skylake);
        var vmcs = InMemoryVmcs.For(caps);
        var typed = new Vmcs<InMemoryVmcs>(vmcs);
        typed.GuestRip = 0xFFFF_8000_0010_0000;
        typed.GuestEsSelector = 0x18;
        vmcs.Store(VmcsField.ExitReason, 10);
        vmcs.LaunchState = VmcsLaunchState.Launched;

        var json = VmcsDump.Save(vmcs);
        // The documented shape: name → encoding (the generated VmcsField value) and value.
        Assert.Contains("\"guest_rip\": {\"encoding\": \"0x681e\", \"value\": \"0xffff800000100000\"}", json);
        Assert.Contains("\"revision\": \"0x0000002b\"", json);

        var loaded = VmcsDump.Parse(json, "vmcs.json", caps);
        Assert.Equal(vmcs.RevisionId, loaded.RevisionId);
        Assert.Equal(VmcsLaunchState.Launched, loaded.LaunchState);
        Assert.Equal(vmcs.Fields.ToList(), loaded.Fields.ToList());
        Assert.Equal(caps.ExistingFields.Count(), loaded.Fields.Count());
        Assert.Equal(json, VmcsDump.Save(loaded));
    }

    [Theory]
    [InlineData("{\"revision\": \"0x4\", \"fields\": {\n \"guest_rip\": {\"encoding\": \"0x6820\", \"value\": \"0x1\"}}}", 2, "guest_rip has encoding 0x681e, not 0x6820")]
    [InlineData("{\"revision\": \"0x4\", \"fields\": {\n \"guest_rop\": {\"value\": \"0x1\"}}}", 2, "unknown VMCS field \"guest_rop\"")]
    [InlineData("{\"revision\": \"0x4\", \"fields\": {\n \"guest_es_selector\": {\"value\": \"0x10000\"}}}", 2, "does not fit in 16 bits")]
    [InlineData("{\"revision\": \"0x4\", \"launch_state\": \"running\", \"fields\": {}}", 1, "\"launch_state\" is \"clear\" or \"launched\"")]
    [InlineData("{\"fields\": {}}", 1, "no \"revision\"")]
    public void Bad_dumps_are_located_errors(string json, int line, string problem)
    {
        var e = Assert.Throws<DumpFormatException>(() => VmcsDump.Parse(json, "vmcs.json"));
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void Revision_is_at_most_31_bits()
    {
        // SDM "Format of the VMCS Region": bits 30:0 are the revision identifier, bit 31 the shadow-VMCS indicator.
        Assert.Equal(0x7FFFFFFFU, VmcsDump.Parse("{\"revision\": \"0x7fffffff\", \"fields\": {}}").RevisionId);
        var e = Assert.Throws<DumpFormatException>(() => VmcsDump.Parse("{\"revision\": \"0x80000000\", \"fields\": {}}", "vmcs.json"));
        Assert.Contains("31 bits", e.Problem);
    }

    [Fact]
    public void A_field_the_processor_lacks_is_rejected()
    {
        var json = "{\"revision\": \"0x2b\", \"fields\": {\"ept_pointer\": {\"encoding\": \"0x201a\", \"value\": \"0x0\"}}}";
        var e = Assert.Throws<DumpFormatException>(() => VmcsDump.Parse(json, "vmcs.json", Fixtures.Caps(Fixtures.Penryn)));
        Assert.Contains("ept_pointer does not exist on this processor", e.Problem);
    }
}
