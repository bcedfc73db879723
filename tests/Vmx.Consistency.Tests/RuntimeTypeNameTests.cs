using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Emit;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>Every type in namespace Vmx of Vmx.Runtime is either named after a spec entry (a layout, an enumeration,
/// a control field's <c>…Controls</c>) or listed in <see cref="ArchView.FixedTypeNames"/>, the names a layout or an
/// enumeration must not take. A hand-written type missing there could silently clash with a future spec entry.</summary>
public class RuntimeTypeNameTests
{
    [Fact]
    public void Every_runtime_type_is_a_spec_name_or_a_fixed_name()
    {
        var spec = Repo.LoadSpec();
        Assert.False(spec.HasErrors);
        var view = new SpecView(spec.Model);
        var specNames = new HashSet<string>(view.Arch.Layouts.Select(l => l.TypeName)
            .Concat(view.Arch.Enums.Select(e => e.TypeName))
            .Concat(view.Controls.Select(c => c.Pascal + "Controls")));
        var fixedNames = new HashSet<string>(ArchView.FixedTypeNames);

        var types = typeof(VmxCapabilities).Assembly.GetTypes()
            .Where(t => t.Namespace == "Vmx" && !t.IsNested && !t.Name.StartsWith("<"))
            .Select(t => t.Name.Split('`')[0]).Distinct().ToList();
        Assert.Contains("VmcsFieldWidth", types);   // generated from enumeration vmcs_field_width

        var unknown = types.Where(n => !specNames.Contains(n) && !fixedNames.Contains(n)).OrderBy(n => n).ToList();
        Assert.True(unknown.Count == 0, "add to ArchView.FixedTypeNames: " + string.Join(", ", unknown));
        var both = types.Where(n => specNames.Contains(n) && fixedNames.Contains(n)).ToList();
        Assert.True(both.Count == 0, "a spec entry took a fixed name: " + string.Join(", ", both));
    }

    [Fact]
    public void The_width_and_type_enums_are_the_spec_enumerations()
    {
        Assert.Equal(new[] { "Bits16", "Bits64", "Bits32", "Natural" },
            EnumCatalog.VmcsFieldWidth.Values.Select(v => System.Enum.ToObject(typeof(VmcsFieldWidth), v.Value).ToString()));
        Assert.Equal(3, (int)VmcsFieldType.HostState);
        Assert.All(VmcsFieldCatalog.All, f => Assert.Equal(f.Type == VmcsFieldType.ExitInformation, f.IsReadOnly));
        Assert.Equal(new[] { new ControlBitReference(ControlFieldKind.Proc2, 1), new ControlBitReference(ControlFieldKind.Proc2, 5) },
            MsrCatalog.Find(Msr.Ia32VmxEptVpidCap)!.ExistsIfAnyAllowed);
        Assert.True(ExitReasonCatalog.MaxBasicReason >= ExitReasonCatalog.All.Max(x => (int)x.Reason));
    }
}
