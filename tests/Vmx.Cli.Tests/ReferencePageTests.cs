using System.IO;
using Xunit;

namespace Vmx.Cli.Tests;

/// <summary>The reference pages (generate docs) link each entry's SDM section title to the SDM and show each VMCS
/// field's C and C# names. Expectations written by hand from the SDM's encodings and the naming rules.</summary>
public sealed class ReferencePageTests
{
    private const string Sdm = "https://www.intel.com/content/www/us/en/developer/articles/technical/intel-sdm.html";

    private static string Page(string name)
    {
        using var temp = new TempDir();
        var run = Cli.Invoke(temp.Path, "generate", "docs", "--spec", Cli.SpecDirectory, "--out", "docs");
        Assert.True(run.ExitCode == 0, run.ToString());
        return File.ReadAllText(temp.Combine("docs", name));
    }

    [Fact]
    public void A_vmcs_field_row_shows_its_c_and_csharp_names()
    {
        var page = Page("vmcs-fields.md");
        Assert.Contains("| `guest_rip` — Guest RIP | `VMCS_GUEST_RIP` | `VmcsField.GuestRip` | `0x681E` |", page);
        Assert.Contains("| `guest_es_selector` — Guest ES selector | `VMCS_GUEST_ES_SELECTOR` | `VmcsField.GuestEsSelector` | `0x0800` |", page);
        Assert.Contains("| `vmcs_link_pointer` — VMCS link pointer | `VMCS_VMCS_LINK_POINTER` | `VmcsField.VmcsLinkPointer` | `0x2800` |", page);
        Assert.Contains($"SDM section [Natural-Width Guest-State Fields]({Sdm}).", page);
    }

    [Fact]
    public void Entries_link_their_sdm_section_title()
    {
        Assert.Contains($"| IA32_VMX_BASIC | `ia32_vmx_basic` | Reporting Register of Basic VMX Capabilities | [`ia32_vmx_basic`](layouts.md#layout-ia32-vmx-basic) | [Basic VMX Information]({Sdm}) |",
            Page("msrs.md"));
        Assert.Contains($"| 7 | `interrupt_window` | Interrupt window | — | [VMX Basic Exit Reasons]({Sdm}) |", Page("exit-reasons.md"));
        Assert.Contains($"| 7 | `vm_entry_invalid_control_fields` | VM entry with invalid control field(s) | [VM Instruction Error Numbers]({Sdm}) |",
            Page("instruction-errors.md"));
        Assert.Contains($"SDM section [Pin-Based VM-Execution Controls]({Sdm}).", Page("vmx-controls.md"));
    }
}
