using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Vmx.Spec.Emit;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>C and C# agree value by value: a C program built from the committed headers prints every constant
/// and every row of the C field table; each is compared with the C# the Roslyn generator produced.</summary>
public class AgreementTests
{
    private static readonly Lazy<Dictionary<string, string>> CValues = new(BuildAndRunPrinter);

    private static string Upper(string id) => id.ToUpperInvariant();

    private static Dictionary<string, string> BuildAndRunPrinter()
    {
        var c = new StringBuilder();
        c.Append("#include <stdio.h>\n#include <stdint.h>\n#include <string.h>\n");
        foreach (var header in Directory.GetFiles(Repo.GeneratedHeaders, "*.h").OrderBy(h => h)) c.Append($"#include \"{Path.GetFileName(header)}\"\n");
        c.Append("#define P(name) printf(\"%s %llu\\n\", #name, (unsigned long long)(name))\n");
        // One intercept set on an empty page by address: the return code and the page's only set bit (-1 none, -2 more).
        c.Append("""
            static uint8_t page[VMX_MSR_BITMAP_SIZE];
            static void bitmap(uint32_t msr, unsigned access) {
                memset(page, 0, sizeof page);
                int rc = vmx_msr_bitmap_intercept(page, msr, access);
                long found = -1;
                for (long i = 0; i < (long)sizeof page * 8; i++)
                    if (page[i / 8] >> (i % 8) & 1) found = found == -1 ? i : -2;
                printf("bitmap:%u:%u %d %ld\n", (unsigned)msr, access, rc, found);
            }
            """);
        c.Append("int main(void) {\n");
        foreach (var address in BitmapAddresses()) c.Append($"bitmap({address}u, 1); bitmap({address}u, 2);\n");
        foreach (var msr in MsrCatalog.All)
            if (BitmapMsr.TryFrom(msr.Msr, out _)) c.Append($"P(VMX_MSR_BITMAP_SLOT_{msr.Name});\n");
        foreach (var field in VmcsFieldCatalog.All)
        {
            c.Append($"P(VMCS_{Upper(field.Id)});\n");
            if (field.HasHighAccess) c.Append($"P(VMCS_{Upper(field.Id)}_HIGH);\n");
        }
        foreach (var control in ControlFieldCatalog.All)
        {
            c.Append($"P(VMX_CONTROL_{Upper(control.Id)});\nP(VMX_{Upper(control.Id)}_DEFAULT1);\n");
            foreach (var bit in control.Bits)
                c.Append($"P(VMX_{Upper(control.Id)}_{Upper(bit.Id)});\nP(VMX_{Upper(control.Id)}_{Upper(bit.Id)}_BIT);\n");
        }
        foreach (var layout in LayoutCatalog.All)
            foreach (var field in layout.Fields)
            {
                var stem = $"VMX_{Upper(Names.CStem(layout.Id))}_{Upper(field.Id)}";
                c.Append($"P({stem}_SHIFT);\nP({stem}_WIDTH);\nP({stem}_MASK);\n");
            }
        foreach (var definition in EnumCatalog.All)
            foreach (var value in definition.Values)
                c.Append($"P(VMX_{Upper(Names.CStem(definition.Id))}_{Upper(value.Id)});\n");
        foreach (var msr in MsrCatalog.All) c.Append($"P(VMX_MSR_{msr.Name});\n");
        foreach (var reason in ExitReasonCatalog.All)
        {
            c.Append($"P(VMX_EXIT_{Upper(reason.Id)});\nprintf(\"exitname {(int)reason.Reason} %s|%s\\n\", vmx_exit_reason_name({(int)reason.Reason}u), vmx_exit_reason_title({(int)reason.Reason}u));\n");
            // The plain mapping, and the per-vector one for every vector (and some beyond bits 7:0, which have no layout).
            c.Append($"{{ const char *q = vmx_exit_reason_qualification({(int)reason.Reason}u); printf(\"exitqual:{(int)reason.Reason} %s\\n\", q ? q : \"-\"); }}\n");
            c.Append($"for (uint32_t v = 0; v < {VectorsCompared}u; v++) {{ const char *q = vmx_exit_reason_qualification_for_vector({(int)reason.Reason}u, v); " +
                     $"printf(\"exitvec:{(int)reason.Reason}:%u %s\\n\", (unsigned)v, q ? q : \"-\"); }}\n");
        }
        foreach (var error in VmInstructionErrorCatalog.All)
            c.Append($"P(VMX_ERROR_{Upper(error.Id)});\nprintf(\"errorname {(int)error.Error} %s|%s\\n\", vmx_instruction_error_name({(int)error.Error}u), vmx_instruction_error_title({(int)error.Error}u));\n");
        c.Append("""
            for (int i = 0; i < VMCS_FIELD_COUNT; i++) {
                const struct vmcs_field_info *f = &vmcs_field_table()[i];
                printf("row %s %u %u %u %u %u", f->name, (unsigned)f->encoding, (unsigned)f->width, (unsigned)f->type, (unsigned)f->read_only, (unsigned)f->seam_only);
                for (int j = 0; j < f->exists_count; j++) printf(" %u.%u", (unsigned)f->exists[j].control, (unsigned)f->exists[j].bit);
                printf("\n");
            }
            return 0;
            }
            """);
        var dir = Repo.TempDirectory();
        var exe = Path.Combine(dir, "print_constants");
        var (exit, output) = CCompiler.Compile("gcc", c.ToString(), exe);
        Assert.True(exit == 0, output);
        var (runExit, printed) = Repo.Run(exe, "");
        Assert.Equal(0, runExit);
        return printed.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2)).ToDictionary(p => p[0] is "row" or "exitname" or "errorname" ? p[0] + " " + p[1].Split(' ')[0] : p[0], p => p[1]);
    }

    private const uint VectorsCompared = 300;

    /// <summary>Every MSR of the spec and each edge of the bitmap's two ranges, inside and out.</summary>
    private static uint[] BitmapAddresses() => MsrCatalog.All.Select(m => m.Address)
        .Concat(new uint[] { 0, 0x10, 0x1FFF, 0x2000, 0xBFFFFFFF, 0xC0000000, 0xC0000080, 0xC0001FFF, 0xC0002000, 0xFFFFFFFF })
        .Distinct().ToArray();

    [Fact]
    public void The_msr_bitmap_helpers_agree_on_every_msr_and_range_edge()
    {
        var c = CValues.Value;
        var inside = 0;
        foreach (var address in BitmapAddresses())
            foreach (var access in new[] { MsrBitmapAccess.Read, MsrBitmapAccess.Write })
            {
                string expected;
                if (BitmapMsr.TryFromAddress(address, out var msr))
                {
                    var page = new MsrBitmap();
                    page.Intercept(msr, access);
                    var (offset, bit) = MsrBitmap.Position(msr, access);
                    Assert.Equal(1 << bit, page.Bytes[offset]);
                    expected = $"0 {offset * 8 + bit}";
                    inside++;
                }
                else expected = "-1 -1"; // VMX_MSR_BITMAP_E_RANGE, page untouched
                Assert.True(expected == c[$"bitmap:{address}:{(int)access}"], $"MSR 0x{address:X8} {access}: C says {c[$"bitmap:{address}:{(int)access}"]}, C# {expected}");
            }
        var named = 0;
        foreach (var info in MsrCatalog.All)
        {
            var member = typeof(BitmapMsr).GetProperty(info.Msr.ToString());
            if (!BitmapMsr.TryFrom(info.Msr, out var msr))
            {
                Assert.Null(member); // outside the ranges: no C# member (and no C slot macro, or the printer would not build)
                continue;
            }
            Assert.Equal(msr.Slot.ToString(), c[$"VMX_MSR_BITMAP_SLOT_{info.Name}"]);
            Assert.Equal(msr, (BitmapMsr)member!.GetValue(null)!);
            named++;
        }
        Assert.True(inside >= 2 * 7 && named >= 30, $"only {inside} positions and {named} named MSRs compared");
    }

    [Fact]
    public void Every_exit_qualification_layout_agrees_by_reason_and_vector()
    {
        var c = CValues.Value;
        var perVector = 0;
        foreach (var exit in ExitReasonCatalog.All)
        {
            var n = (int)exit.Reason;
            Assert.Equal(exit.Qualification?.Id ?? "-", c[$"exitqual:{n}"]);
            for (uint v = 0; v < VectorsCompared; v++)
                Assert.True((exit.QualificationFor(v)?.Id ?? "-") == c[$"exitvec:{n}:{v}"], $"exit reason {n} vector {v}: C says {c[$"exitvec:{n}:{v}"]}");
            perVector += exit.QualificationByVector.Count;
        }
        // Exit reason 0: #DB (1) and #PF (14), SDM "Exit Qualification for VM Exits".
        Assert.Equal("exit_qualification_debug_exception", c["exitvec:0:1"]);
        Assert.Equal("exit_qualification_page_fault", c["exitvec:0:14"]);
        Assert.Equal("-", c["exitvec:0:13"]);
        Assert.Equal("-", c["exitqual:0"]);
        Assert.True(perVector >= 2, $"only {perVector} per-vector layouts compared");
    }

    public static TheoryData<string> FieldIds() => new(VmcsFieldCatalog.All.Select(f => f.Id));

    [Theory]
    [MemberData(nameof(FieldIds))]
    public void Vmcs_field_agrees(string id)
    {
        var field = VmcsFieldCatalog.All.Single(f => f.Id == id);
        var c = CValues.Value;
        Assert.Equal(field.Encoding.ToString(), c[$"VMCS_{Upper(id)}"]);
        if (field.HasHighAccess) Assert.Equal((field.Encoding | 1).ToString(), c[$"VMCS_{Upper(id)}_HIGH"]);
        var exists = string.Concat(field.ExistsIfAnyAllowed.Select(r => $" {(int)r.Control}.{r.Bit}"));
        Assert.Equal($"{id} {field.Encoding} {(int)field.Width} {(int)field.Type} {(field.IsReadOnly ? 1 : 0)} {(field.SeamOnly ? 1 : 0)}{exists}", c[$"row {id}"]);
    }

    [Fact]
    public void Every_control_bit_agrees()
    {
        var c = CValues.Value;
        var checkedBits = 0;
        foreach (var control in ControlFieldCatalog.All)
        {
            Assert.Equal(((int)control.Kind).ToString(), c[$"VMX_CONTROL_{Upper(control.Id)}"]);
            Assert.Equal(control.Default1.ToString(), c[$"VMX_{Upper(control.Id)}_DEFAULT1"]);
            foreach (var bit in control.Bits)
            {
                Assert.Equal((1UL << bit.Bit).ToString(), c[$"VMX_{Upper(control.Id)}_{Upper(bit.Id)}"]);
                Assert.Equal(bit.Bit.ToString(), c[$"VMX_{Upper(control.Id)}_{Upper(bit.Id)}_BIT"]);
                checkedBits++;
            }
        }
        Assert.True(checkedBits > 100, $"only {checkedBits} control bits compared");
    }

    [Fact]
    public void Every_layout_field_shift_width_and_mask_agrees()
    {
        var c = CValues.Value;
        var compared = 0;
        foreach (var layout in LayoutCatalog.All)
            foreach (var field in layout.Fields)
            {
                var stem = $"VMX_{Upper(Names.CStem(layout.Id))}_{Upper(field.Id)}";
                var mask = (field.Width == 64 ? ulong.MaxValue : (1UL << field.Width) - 1) << field.Lsb;
                Assert.Equal(field.Lsb.ToString(), c[stem + "_SHIFT"]);
                Assert.Equal(field.Width.ToString(), c[stem + "_WIDTH"]);
                Assert.Equal(mask.ToString(), c[stem + "_MASK"]);
                compared++;
            }
        Assert.True(compared > 300, $"only {compared} layout fields compared");
    }

    [Fact]
    public void Every_enumeration_value_msr_exit_reason_and_error_agrees()
    {
        var c = CValues.Value;
        foreach (var definition in EnumCatalog.All)
            foreach (var value in definition.Values)
                Assert.Equal(value.Value.ToString(), c[$"VMX_{Upper(Names.CStem(definition.Id))}_{Upper(value.Id)}"]);
        foreach (var msr in MsrCatalog.All)
            Assert.Equal(((uint)msr.Msr).ToString(), c[$"VMX_MSR_{msr.Name}"]);
        foreach (var exit in ExitReasonCatalog.All)
        {
            Assert.Equal(((int)exit.Reason).ToString(), c[$"VMX_EXIT_{Upper(exit.Id)}"]);
            Assert.Equal($"{(int)exit.Reason} {exit.Id}|{exit.Title}", c[$"exitname {(int)exit.Reason}"]);
        }
        foreach (var error in VmInstructionErrorCatalog.All)
        {
            Assert.Equal(((int)error.Error).ToString(), c[$"VMX_ERROR_{Upper(error.Id)}"]);
            Assert.Equal($"{(int)error.Error} {error.Id}|{error.Title}", c[$"errorname {(int)error.Error}"]);
        }
        Assert.True(ExitReasonCatalog.All.Count >= 70 && VmInstructionErrorCatalog.All.Count >= 25 && MsrCatalog.All.Count >= 30);
    }

    [Fact]
    public void The_catalogs_hold_the_whole_spec()
    {
        var spec = Repo.LoadSpec().Model;
        Assert.Equal(spec.VmcsFields.Select(f => f.Id), VmcsFieldCatalog.All.Select(f => f.Id));
        Assert.Equal(spec.ControlFields.Select(f => f.Id), ControlFieldCatalog.All.Select(f => f.Id));
        Assert.Equal(spec.Layouts.Select(l => l.Id), LayoutCatalog.All.Select(l => l.Id));
        Assert.Equal(spec.Enums.Select(e => e.Id), EnumCatalog.All.Select(e => e.Id));
        Assert.Equal(spec.Msrs.Select(m => m.Name), MsrCatalog.All.Select(m => m.Name));
        Assert.Equal(spec.ExitReasons.Select(x => x.Id), ExitReasonCatalog.All.Select(x => x.Id));
        Assert.Equal(spec.InstructionErrors.Select(x => x.Id), VmInstructionErrorCatalog.All.Select(x => x.Id));
    }
}
