using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
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
        c.Append("#include <stdio.h>\n#include <stdint.h>\n#include \"vmcs_fields.h\"\n#include \"vmx_controls.h\"\n");
        c.Append("#define P(name) printf(\"%s %llu\\n\", #name, (unsigned long long)(name))\nint main(void) {\n");
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
        c.Append("""
            for (int i = 0; i < VMCS_FIELD_COUNT; i++) {
                const struct vmcs_field_info *f = &vmcs_field_table()[i];
                printf("row %s %u %u %u %u", f->name, (unsigned)f->encoding, (unsigned)f->width, (unsigned)f->type, (unsigned)f->read_only);
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
            .Select(l => l.Split(' ', 2)).ToDictionary(p => p[0] == "row" ? "row " + p[1].Split(' ')[0] : p[0], p => p[1]);
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
        Assert.Equal($"{id} {field.Encoding} {(int)field.Width} {(int)field.Type} {(field.IsReadOnly ? 1 : 0)}{exists}", c[$"row {id}"]);
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
    public void The_catalogs_hold_the_whole_spec()
    {
        var spec = Repo.LoadSpec().Model;
        Assert.Equal(spec.VmcsFields.Select(f => f.Id), VmcsFieldCatalog.All.Select(f => f.Id));
        Assert.Equal(spec.ControlFields.Select(f => f.Id), ControlFieldCatalog.All.Select(f => f.Id));
    }
}
