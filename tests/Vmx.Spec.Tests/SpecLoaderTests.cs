using System.Linq;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>The real spec under spec/: clean, complete, and right where the SDM can be checked by hand.</summary>
public class SpecLoaderTests
{
    private static SpecResult? _real;

    internal static SpecResult LoadRealSpec() => _real ??= SpecLoader.LoadDirectory(TestSpec.SpecDirectory, TestSpec.RepoRoot);

    [Fact]
    public void Real_spec_has_no_diagnostics()
    {
        var result = LoadRealSpec();
        Assert.False(result.HasErrors, TestSpec.Describe(result));
    }

    [Fact]
    public void Real_spec_has_the_206_fields_of_the_union_of_the_public_tables()
    {
        var fields = LoadRealSpec().Model.VmcsFields;
        Assert.Equal(206, fields.Count);
        Assert.Equal(206, fields.Select(f => f.Encoding).Distinct().Count());
    }

    [Fact]
    public void Diagnostic_paths_are_relative_to_the_base_directory()
    {
        var spec = LoadRealSpec();
        var field = spec.Model.VmcsFields.Single(f => f.Id == "guest_rip");
        Assert.Equal(System.IO.Path.Combine("spec", "vmcs", "guest-state.yaml"), spec.Sources[field].Path);
    }

    // SDM Vol. 3 Appendix B, written down by hand.
    [Theory]
    [InlineData("virtual_processor_identifier", 0x0000u, FieldWidth.Bits16, FieldType.Control)]
    [InlineData("guest_es_selector", 0x0800u, FieldWidth.Bits16, FieldType.GuestState)]
    [InlineData("host_es_selector", 0x0C00u, FieldWidth.Bits16, FieldType.HostState)]
    [InlineData("address_of_io_bitmap_a", 0x2000u, FieldWidth.Bits64, FieldType.Control)]
    [InlineData("ept_pointer", 0x201Au, FieldWidth.Bits64, FieldType.Control)]
    [InlineData("guest_physical_address", 0x2400u, FieldWidth.Bits64, FieldType.ExitInformation)]
    [InlineData("vmcs_link_pointer", 0x2800u, FieldWidth.Bits64, FieldType.GuestState)]
    [InlineData("pin_based_vm_execution_controls", 0x4000u, FieldWidth.Bits32, FieldType.Control)]
    [InlineData("vm_instruction_error", 0x4400u, FieldWidth.Bits32, FieldType.ExitInformation)]
    [InlineData("exit_reason", 0x4402u, FieldWidth.Bits32, FieldType.ExitInformation)]
    [InlineData("guest_es_limit", 0x4800u, FieldWidth.Bits32, FieldType.GuestState)]
    [InlineData("host_ia32_sysenter_cs", 0x4C00u, FieldWidth.Bits32, FieldType.HostState)]
    [InlineData("exit_qualification", 0x6400u, FieldWidth.Natural, FieldType.ExitInformation)]
    [InlineData("guest_cr0", 0x6800u, FieldWidth.Natural, FieldType.GuestState)]
    [InlineData("guest_rip", 0x681Eu, FieldWidth.Natural, FieldType.GuestState)]
    [InlineData("host_rip", 0x6C16u, FieldWidth.Natural, FieldType.HostState)]
    public void Known_fields_have_the_sdm_encoding(string id, uint encoding, FieldWidth width, FieldType type)
    {
        var field = LoadRealSpec().Model.VmcsFields.Single(f => f.Id == id);
        Assert.Equal((encoding, width, type), (field.Encoding, field.Width, field.Type));
        Assert.Equal((int)((encoding >> 1) & 0x1FF), field.Index);
    }

    [Fact]
    public void Ept_pointer_exists_only_with_enable_ept()
    {
        var field = LoadRealSpec().Model.VmcsFields.Single(f => f.Id == "ept_pointer");
        Assert.Equal("proc2.enable_ept", field.Exists.ToString());
    }

    [Theory]
    [InlineData("proc2", "proc.activate_secondary_controls")]   // SDM: secondary controls used only if primary bit 31 is 1
    [InlineData("proc3", "proc.activate_tertiary_controls")]    // primary bit 17
    [InlineData("exit2", "exit.activate_secondary_controls")]   // primary exit bit 31
    [InlineData("vmfunc", "proc2.enable_vm_functions")]         // secondary bit 13
    [InlineData("pin", null)]
    public void Gated_control_fields_name_the_control_that_enables_them(string id, string? gate)
    {
        var control = LoadRealSpec().Model.ControlFields.Single(c => c.Id == id);
        Assert.Equal(gate, control.EnabledBy?.ToString());
    }

    [Theory]
    [InlineData("shared_ept_pointer")]   // SDM: used only by the TDX module (SEAM VMX root operation)
    [InlineData("seam_guest_keyid")]
    public void Seam_only_fields_exist_nowhere_else(string id)
    {
        var field = LoadRealSpec().Model.VmcsFields.Single(f => f.Id == id);
        Assert.True(field.Exists.SeamOnly);
        Assert.False(field.Exists.IsAlways);
        Assert.Equal("seam", field.Exists.ToString());
    }

    [Fact]
    public void Loading_twice_gives_equal_models()
    {
        var a = SpecLoader.LoadDirectory(TestSpec.SpecDirectory, TestSpec.RepoRoot);
        var b = SpecLoader.LoadDirectory(TestSpec.SpecDirectory, TestSpec.RepoRoot);
        Assert.Equal(a.Model, b.Model);
        Assert.Equal(a.Model.GetHashCode(), b.Model.GetHashCode());
    }
}
