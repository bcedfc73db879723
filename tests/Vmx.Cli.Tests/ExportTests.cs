using System.Linq;
using System.Text.Json;
using Xunit;

namespace Vmx.Cli.Tests;

public class ExportTests
{
    private static JsonDocument Export()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "export", "--format", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Err);
        return JsonDocument.Parse(run.Out);
    }

    private static JsonElement Named(JsonElement array, string name) =>
        array.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    [Fact]
    public void Every_vmcs_field_has_a_name_and_an_integer_encoding()
    {
        using var json = Export();
        var fields = json.RootElement.GetProperty("vmcsFields");
        Assert.Equal(206, fields.GetArrayLength());
        foreach (var f in fields.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, f.GetProperty("name").ValueKind);
            Assert.Equal(JsonValueKind.Number, f.GetProperty("encoding").ValueKind);
            Assert.True(f.GetProperty("encoding").TryGetUInt32(out _));
        }
        Assert.Equal(0x681Eu, Named(fields, "guest_rip").GetProperty("encoding").GetUInt32());
        Assert.Equal(0x201Bu, Named(fields, "ept_pointer").GetProperty("highEncoding").GetUInt32());
        Assert.Equal(206, fields.EnumerateArray().Select(f => f.GetProperty("name").GetString()).Distinct().Count());
    }

    [Fact]
    public void Exception_or_nmi_carries_its_qualification_layouts_by_vector()
    {
        using var json = Export();
        var reasons = json.RootElement.GetProperty("exitReasons");
        var exception = Named(reasons, "exception_or_nmi");
        Assert.False(exception.TryGetProperty("qualification", out _));
        var byVector = exception.GetProperty("qualificationByVector").EnumerateArray()
            .Select(v => (v.GetProperty("vector").GetInt32(), v.GetProperty("layout").GetString()!)).ToArray();
        Assert.Equal(new[] { (1, "exit_qualification_debug_exception"), (14, "exit_qualification_page_fault") }, byVector);
        Assert.False(Named(reasons, "control_register_access").TryGetProperty("qualificationByVector", out _));
    }

    [Fact]
    public void Tables_carry_their_numbers()
    {
        using var json = Export();
        var root = json.RootElement;
        foreach (var x in root.GetProperty("exitReasons").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, x.GetProperty("name").ValueKind);
            Assert.True(x.GetProperty("exitReason").TryGetInt32(out _));
        }
        foreach (var x in root.GetProperty("instructionErrors").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, x.GetProperty("name").ValueKind);
            Assert.True(x.GetProperty("instructionError").TryGetInt32(out _));
        }
        foreach (var x in root.GetProperty("msrs").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, x.GetProperty("name").ValueKind);
            Assert.True(x.GetProperty("address").TryGetUInt32(out _));
        }
        // SDM Appendix C, "VM Instruction Error Numbers", Appendix A.1.
        Assert.Equal(2, Named(root.GetProperty("exitReasons"), "triple_fault").GetProperty("exitReason").GetInt32());
        Assert.Equal(48, Named(root.GetProperty("exitReasons"), "ept_violation").GetProperty("exitReason").GetInt32());
        Assert.Equal(2, Named(root.GetProperty("instructionErrors"), "vmclear_invalid_physical_address").GetProperty("instructionError").GetInt32());
        Assert.Equal(0x480u, Named(root.GetProperty("msrs"), "IA32_VMX_BASIC").GetProperty("address").GetUInt32());
    }

    [Fact]
    public void Layout_fields_carry_name_lsb_and_width()
    {
        using var json = Export();
        var layouts = json.RootElement.GetProperty("layouts");
        Assert.True(layouts.GetArrayLength() > 0);
        foreach (var layout in layouts.EnumerateArray())
            foreach (var f in layout.GetProperty("fields").EnumerateArray())
            {
                Assert.Equal(JsonValueKind.String, f.GetProperty("name").ValueKind);
                Assert.InRange(f.GetProperty("lsb").GetInt32(), 0, 63);
                Assert.InRange(f.GetProperty("width").GetInt32(), 1, 64);
            }
        // CR4.VMXE is bit 13 (SDM "Control Registers").
        var vmxe = Named(Named(layouts, "cr4").GetProperty("fields"), "vmxe");
        Assert.Equal((13, 1), (vmxe.GetProperty("lsb").GetInt32(), vmxe.GetProperty("width").GetInt32()));
    }

    [Theory]
    [InlineData("export")]
    [InlineData("export", "--format", "xml")]
    public void Without_json_format_is_a_usage_error(params string[] args)
    {
        var run = Cli.Invoke(Cli.RepoRoot, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("export needs --format json", run.Err);
        Assert.Equal("", run.Out);
    }
}

public class ExportChecksTests
{
    [Fact]
    public void Checks_array_holds_every_check_of_the_catalog_with_its_outcome()
    {
        var run = Cli.Invoke(Cli.RepoRoot, "export", "--format", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        var catalog = Vmx.VmEntryCheckCatalog.All;
        Assert.Equal(catalog.Select(c => c.Id), checks.Select(c => c.GetProperty("id").GetString()));
        foreach (var (entry, check) in checks.Zip(catalog))
        {
            Assert.Equal(check.Id, entry.GetProperty("name").GetString());
            Assert.Equal(check.Title, entry.GetProperty("title").GetString());
            Assert.Equal(check.Category.ToString(), entry.GetProperty("category").GetString());
            Assert.Equal(check.Section, entry.GetProperty("section").GetString());
            var outcome = entry.GetProperty("outcome");
            Assert.Equal(check.Outcome.Number, outcome.GetProperty("number").GetInt32());
            Assert.Equal(check.Outcome.IsVmExit ? "exit" : "vmfail", outcome.GetProperty("kind").GetString());
            Assert.Equal(check.Outcome.Qualification, outcome.TryGetProperty("qualification", out var q) ? q.GetInt32() : null);
            Assert.Equal(check.Inputs, entry.GetProperty("inputs").EnumerateArray().Select(i => i.GetString()));
            Assert.Equal(check.When, entry.TryGetProperty("when", out var when) ? when.GetString() : null);
            Assert.Equal(check.Require, entry.GetProperty("require").GetString());
            Assert.Equal(check.Bochs, entry.TryGetProperty("bochs", out var bochs) ? bochs.GetString() : null);
            Assert.Equal(check.Message, entry.GetProperty("message").GetString());
        }
        // spec/checks: the VMCS link pointer checks fail with qualification 4, MSR loading with exit 34 and no fixed one.
        var link = checks.Single(c => c.GetProperty("id").GetString() == "vmcs_link_pointer_aligned").GetProperty("outcome");
        Assert.Equal(33, link.GetProperty("number").GetInt32());
        Assert.Equal(4, link.GetProperty("qualification").GetInt32());
        var msr = checks.Single(c => c.GetProperty("id").GetString() == "entry_msr_load_reserved").GetProperty("outcome");
        Assert.Equal(34, msr.GetProperty("number").GetInt32());
        Assert.False(msr.TryGetProperty("qualification", out _));
        Assert.Equal("host CS selector {host_cs_selector} has RPL/TI bits set",
            checks.Single(c => c.GetProperty("id").GetString() == "host_cs_selector_rpl_ti").GetProperty("message").GetString());
    }
}
