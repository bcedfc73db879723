using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Model;

namespace Vmx.Cli.Diff;

/// <summary>One entry of the spec as the reviewer compares it: its kind, its key (the id, or <c>owner.id</c> for a bit
/// of a control field, a field of a layout, a value of an enumeration) and its facts in a fixed order. Source positions
/// and descriptions are not facts: moving an entry or rewording its prose changes nothing here.</summary>
public sealed record FactEntry(string Kind, string Key, IReadOnlyList<(string Name, string Value)> Facts);

/// <summary>The kinds of entry <c>vmxgen diff</c> compares, in report order. A new kind of entry (the VM-entry checks,
/// when they land) is one more line in <see cref="Kinds"/> with the facts it states.</summary>
public static class SpecFacts
{
    public static IReadOnlyList<(string Kind, System.Func<SpecModel, IEnumerable<FactEntry>> Entries)> Kinds { get; } = new (string, System.Func<SpecModel, IEnumerable<FactEntry>>)[]
    {
        ("VMCS field", m => m.VmcsFields.Select(f => Entry("VMCS field", f.Id,
            ("encoding", Hex(f.Encoding, 4)), ("width", f.Width.Describe()), ("type", f.Type.Describe()), ("index", f.Index.ToString()),
            ("exists", f.Exists.ToString()), ("title", f.Title), ("section", f.Section)))),
        ("control field", m => m.ControlFields.Select(c => Entry("control field", c.Id,
            ("field", c.Field), ("capability MSR", c.CapabilityMsr), ("true capability MSR", c.TrueCapabilityMsr ?? "none"),
            ("enabled by", c.EnabledBy?.ToString() ?? "always"), ("title", c.Title), ("section", c.Section)))),
        ("control bit", m => m.ControlFields.SelectMany(c => c.Bits.Select(b => Entry("control bit", c.Id + "." + b.Id,
            ("bit", b.Bit.ToString()), ("default", b.Default1 ? "1" : "0"), ("title", b.Title))))),
        ("MSR", m => m.Msrs.Select(x => Entry("MSR", x.Id,
            ("name", x.Name), ("address", Hex(x.Address, 0)), ("layout", x.Layout ?? "none"), ("exists", x.Exists.ToString()),
            ("title", x.Title), ("section", x.Section)))),
        ("layout", m => m.Layouts.Select(l => Entry("layout", l.Id, ("width", l.Width.ToString()), ("title", l.Title), ("section", l.Section)))),
        ("layout field", m => m.Layouts.SelectMany(l => l.Fields.Select(f => Entry("layout field", l.Id + "." + f.Id,
            ("bits", f.Bits), ("enum", f.Enum ?? "none"), ("title", f.Title))))),
        ("enumeration", m => m.Enums.Select(e => Entry("enumeration", e.Id, ("title", e.Title), ("section", e.Section)))),
        ("enumeration value", m => m.Enums.SelectMany(e => e.Values.Select(v => Entry("enumeration value", e.Id + "." + v.Id,
            ("value", v.Value.ToString()), ("title", v.Title))))),
        ("exit reason", m => m.ExitReasons.Select(x => Entry("exit reason", x.Id,
            ("number", x.Number.ToString()), ("qualification", Qualification(x)), ("title", x.Title), ("section", x.Section)))),
        ("VM-instruction error", m => m.InstructionErrors.Select(x => Entry("VM-instruction error", x.Id,
            ("number", x.Number.ToString()), ("title", x.Title), ("section", x.Section)))),
    };

    private static FactEntry Entry(string kind, string key, params (string, string)[] facts) => new(kind, key, facts);

    private static string Hex(ulong value, int digits) => "0x" + value.ToString(digits > 0 ? "X" + digits : "X");

    private static string Qualification(ExitReason x) =>
        x.QualificationByVector.Count > 0
            ? "by vector: " + string.Join(", ", x.QualificationByVector.OrderBy(v => v.Vector).Select(v => $"{v.Vector} {v.Layout}"))
            : x.Qualification ?? "none";
}
