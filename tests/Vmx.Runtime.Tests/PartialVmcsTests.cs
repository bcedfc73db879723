using System.IO;
using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>PartialVmcs from the other inputs: an in-memory VMCS, the JSON VMCS dump (only the fields it lists), and
/// writes. Reads of absent fields fail with error 12 whatever the input.</summary>
public class PartialVmcsTests
{
    private static readonly VmxResult Unsupported = VmxResult.FailValid((uint)VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent);

    [Fact]
    public void From_an_in_memory_vmcs_holds_every_field_its_processor_has()
    {
        var caps = Fixtures.Caps(Fixtures.Penryn); // no EPT on this model
        var vmcs = InMemoryVmcs.For(caps);
        vmcs.Store(VmcsField.GuestRip, 0x1234);
        vmcs.LaunchState = VmcsLaunchState.Launched;

        var partial = PartialVmcs.From(vmcs, "model");
        Assert.Equal(caps.ExistingFields.Select(f => f.Id), partial.Fields.Select(f => f.Field.Id));
        Assert.Equal(VmxResult.Success, partial.Read(VmcsField.GuestRip, out var rip));
        Assert.Equal(0x1234UL, rip);
        Assert.Equal(Unsupported, partial.Read(VmcsField.EptPointer, out _));
        Assert.Equal((caps.VmcsRevisionId, VmcsLaunchState.Launched), (partial.RevisionId!.Value, partial.LaunchState!.Value));
        Assert.Null(partial.LocationOf(VmcsFieldCatalog.Find((uint)VmcsField.GuestRip)!));
    }

    [Fact]
    public void From_the_json_dump_holds_only_the_listed_fields()
    {
        const string json = "{\"revision\": \"0x4\",\n \"fields\": {\n  \"guest_rip\": {\"value\": \"0x100000\"},\n  \"guest_cr0\": {\"encoding\": \"0x6800\", \"value\": \"0x80000031\"}}}";
        var partial = PartialVmcs.FromJsonDump(json, "vmcs.json");
        Assert.Equal(new[] { ("guest_cr0", 0x80000031UL), ("guest_rip", 0x100000UL) }, partial.Fields.Select(f => (f.Field.Id, f.Value)));
        Assert.Equal(Unsupported, partial.Read(VmcsField.GuestCr4, out _)); // VmcsDump.Parse would give 0 here
        Assert.Equal(new DumpLocation(3, 3), partial.LocationOf(VmcsFieldCatalog.Find((uint)VmcsField.GuestRip)!));
        Assert.Equal(4u, partial.RevisionId);
        Assert.Equal(VmcsLaunchState.Clear, partial.LaunchState);
    }

    [Fact]
    public void The_json_dump_of_a_bochs_model_gives_every_field_the_driver_read()
    {
        var path = Path.Combine(Fixtures.RepoRoot, "tests", "fixtures", "vmcs", Fixtures.Skylake + ".json");
        var caps = Fixtures.Caps(Fixtures.Skylake);
        var partial = PartialVmcs.LoadJsonDump(path, caps);
        Assert.Equal(VmcsDump.Load(path, caps).Fields.ToList(), partial.Fields.ToList());
    }

    [Fact]
    public void Json_dump_errors_stay_located()
    {
        var e = Assert.Throws<DumpFormatException>(() => PartialVmcs.FromJsonDump("{\"revision\": \"0x4\", \"fields\": {\n \"guest_rop\": {\"value\": \"0x1\"}}}", "vmcs.json"));
        Assert.Equal(2, e.Line);
        Assert.Contains("unknown VMCS field \"guest_rop\"", e.Problem);
    }

    [Fact]
    public void Writes_make_fields_present_and_truncate_to_their_width()
    {
        var partial = new PartialVmcs("edited");
        var selector = VmcsFieldCatalog.Find((uint)VmcsField.GuestCsSelector)!;
        Assert.False(partial.Contains(selector));
        Assert.Equal(VmxResult.Success, partial.Write(VmcsField.GuestCsSelector, 0x1_0008));
        Assert.True(partial.Contains(selector));
        Assert.Equal(VmxResult.Success, partial.Read(VmcsField.GuestCsSelector, out var cs));
        Assert.Equal(0x8UL, cs);
        // A read-only exit-information field is data in a dump; the high half of a 64-bit field goes to bits 63:32.
        Assert.Equal(VmxResult.Success, partial.Write(VmcsField.GuestPhysicalAddress, 0x1000));
        Assert.Equal(VmxResult.Success, partial.Write(VmcsField.GuestPhysicalAddress + 1, 0xabcd));
        Assert.Equal(VmxResult.Success, partial.Read(VmcsField.GuestPhysicalAddress, out var gpa));
        Assert.Equal(0x0000abcd_00001000UL, gpa);
        Assert.Equal(Unsupported, partial.Write((VmcsField)0x7ffe, 1)); // no field of the spec
        Assert.True(partial.Remove(selector));
        Assert.Equal(Unsupported, partial.Read(VmcsField.GuestCsSelector, out _));
    }
}
