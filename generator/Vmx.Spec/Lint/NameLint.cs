using System;
using System.Collections.Generic;
using System.Linq;
using Vmx.Spec.Emit;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;

namespace Vmx.Spec.Lint;

/// <summary>The naming contract: every identifier the emitters write, per output language and scope, taken from the
/// views that write them (the one place names are derived), must be unique — so two entries whose ids differ only by
/// case or separators (<c>guest_pdpte_0</c>, <c>guest_pdpte0</c>), or an entry named like one of the generator's own
/// names (a layout field <c>reserved</c> beside <c>VMX_CR0_RESERVED_MASK</c>, a field <c>value</c> beside
/// <c>Value</c>), is a located error naming both instead of C or C# that does not compile. Runs only on a model the
/// other rules accept, since the views assume one.</summary>
public static class NameLint
{
    /// <summary>C identifiers the headers define whatever the spec holds (header guards, tables, helper types and
    /// functions). <c>NameContractTests</c> proves this list and the derived names cover every identifier of the headers.</summary>
    public static readonly string[] FixedCNames =
    {
        "VMXGEN_VMCS_FIELDS_H", "VMXGEN_VMX_CONTROLS_H", "VMXGEN_VMX_ENUMS_H", "VMXGEN_VMX_ERRORS_H", "VMXGEN_VMX_EXITS_H",
        "VMXGEN_VMX_LAYOUTS_H", "VMXGEN_VMX_MSRS_H", "VMXGEN_VMX_CPUID_H", "VMXGEN_VMX_CHECKS_H",
        "vmx_check_id", "VMX_CHECK_COUNT", "vmx_check_control_id", "VMX_CHECK_CONTROL_COUNT", "VMX_CHECK_MAX_VALUES",
        "VMX_CHECK_FIELD_SLOTS", "VMX_CHECK_MSR_SLOTS", "VMX_CHECK_FACT_SLOTS", "vmx_check_infos", "vmx_check_vm_entry",
        "VMX_CHECKS_IMPLEMENTATION", "vmx_check_field_encodings", "vmx_check_msr_addresses", "vmx_check_fact_names", "vmx_check_controls",
        "VMCS_FIELD_COUNT", "VMCS_FIELD_MAX_EXISTS", "vmcs_field_width", "vmcs_field_type", "vmcs_field_info", "vmcs_control_bit",
        "vmcs_field_table",
        "vmx_control_field", "VMX_CONTROL_FIELD_COUNT", "vmx_control_capability",
        "VMX_MSR_COUNT", "VMX_MSR_MAX_EXISTS", "vmx_msr_name", "vmx_msr_title", "vmx_msr_control_bit", "vmx_msr_existence",
        "vmx_msr_exists_if",
        "VMXGEN_VMX_MSR_BITMAP_H", "VMX_MSR_BITMAP_SIZE", "VMX_MSR_BITMAP_LOW_FIRST", "VMX_MSR_BITMAP_LOW_LAST",
        "VMX_MSR_BITMAP_HIGH_FIRST", "VMX_MSR_BITMAP_HIGH_LAST", "VMX_MSR_BITMAP_READ_LOW_OFFSET", "VMX_MSR_BITMAP_READ_HIGH_OFFSET",
        "VMX_MSR_BITMAP_WRITE_LOW_OFFSET", "VMX_MSR_BITMAP_WRITE_HIGH_OFFSET", "VMX_MSR_BITMAP_RANGE_SIZE", "VMX_MSR_BITMAP_SLOT_COUNT",
        "VMX_MSR_BITMAP_E_RANGE", "vmx_msr_bitmap_access", "VMX_MSR_BITMAP_READ", "VMX_MSR_BITMAP_WRITE", "VMX_MSR_BITMAP_READ_WRITE",
        "vmx_msr_bitmap_slot", "vmx_msr_bitmap_slot_byte", "vmx_msr_bitmap_slot_bit", "vmx_msr_bitmap_set_slot",
        "vmx_msr_bitmap_intercept_slot", "vmx_msr_bitmap_pass_slot", "vmx_msr_bitmap_intercept", "vmx_msr_bitmap_pass",
        "vmx_msr_bitmap_intercepted",
        "VMX_EXIT_REASON_COUNT", "VMX_EXIT_REASON_MAX", "vmx_exit_reason_name", "vmx_exit_reason_title",
        "vmx_exit_reason_qualification", "vmx_exit_reason_qualification_for_vector",
        "VMX_ERROR_COUNT", "vmx_instruction_error_name", "vmx_instruction_error_title",
    };

    /// <summary>Members every generated layout struct has besides its fields' (C#).</summary>
    public static readonly string[] FixedLayoutMembers = { "Value", "Info", "ReservedMask", "Equals", "GetHashCode", "ToString", "GetType" };

    /// <summary>Members of <c>Vmcs&lt;T&gt;</c> besides its fields' (C#; runtime/Vmx.Runtime/Vmcs/Vmcs.cs).</summary>
    public static readonly string[] FixedVmcsMembers = { "Accessor", "Get", "Set", "Equals", "GetHashCode", "ToString", "GetType" };

    /// <summary>Members of the generated catalogs (LayoutCatalog, EnumCatalog) besides one property per entry, and what
    /// every class inherits from object.</summary>
    public static readonly string[] FixedCatalogMembers = { "All", "Find", "Equals", "GetHashCode", "ToString", "GetType", "ReferenceEquals", "MemberwiseClone" };

    /// <summary>Members of <c>BitmapMsr</c> besides one per MSR inside the bitmap's ranges (C#; runtime/Vmx.Runtime/MsrBitmaps).</summary>
    public static readonly string[] FixedBitmapMsrMembers = { "Slot", "Address", "TryFromAddress", "TryFrom", "Equals", "GetHashCode", "ToString", "GetType" };

    /// <summary>Members of every generated flags enum of control bits besides the bits' (C#).</summary>
    public static readonly string[] FixedControlMembers = { "None" };

    internal static void Check(SpecModel model, DiagnosticBag diagnostics) => Collect(model, diagnostics);

    /// <summary>Every identifier the emitters write for <paramref name="model"/>, by scope: <c>"C"</c> for the headers
    /// (one namespace), <c>"C#:struct Cr0"</c>, <c>"C#:enum VmcsField"</c>… for C# types. For tests and tools.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Names(SpecModel model) => Collect(model, new DiagnosticBag());

    private static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Collect(SpecModel model, DiagnosticBag diagnostics)
    {
        var view = new SpecView(model);
        var scopes = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        var reported = new List<(object, object?)>();
        var c = new Scope("C", "the C headers", FixedCNames, diagnostics, reported, scopes);
        var fields = new Scope("C#", "enum VmcsField", Array.Empty<string>(), diagnostics, reported, scopes);
        var vmcs = new Scope("C#", "struct Vmcs<T>", FixedVmcsMembers, diagnostics, reported, scopes);
        foreach (var f in view.Fields)
        {
            c.Add("VMCS_" + f.Upper, f.Entry, "its encoding macro");
            if (f.HasHigh) c.Add("VMCS_" + f.Upper + "_HIGH", f.Entry, "its high-access encoding macro");
            c.Add("vmcs_read_" + f.Id, f.Entry, "its reader");
            if (!f.ReadOnly) c.Add("vmcs_write_" + f.Id, f.Entry, "its writer");
            fields.Add(f.Pascal, f.Entry, "its enum member");
            vmcs.Add(f.Pascal, f.Entry, "its property");
            vmcs.Add("TryRead" + f.Pascal, f.Entry, "its TryRead method");
            if (!f.ReadOnly) vmcs.Add("TryWrite" + f.Pascal, f.Entry, "its TryWrite method");
        }

        // The short width/type codes of vmcs_fields.h (VMCS_WIDTH_64) belong to values of the encoding enumerations.
        var values = view.Arch.Enums.SelectMany(e => e.Values).ToList();
        foreach (var code in view.WidthCodes.Concat(view.TypeCodes))
            if (values.FirstOrDefault(v => v.Macro == code.Macro) is { } value) c.Add(code.Alias, value.Entry, "its short code in vmcs_fields.h");

        var kinds = new Scope("C#", "enum ControlFieldKind", Array.Empty<string>(), diagnostics, reported, scopes);
        foreach (var control in view.Controls)
        {
            c.Add("VMX_CONTROL_" + control.Upper, control.Entry, "its control-field constant");
            c.Add("VMX_" + control.Upper + "_DEFAULT1", control.Entry, "its default1 mask");
            kinds.Add(control.Pascal, control.Entry, "its enum member");
            var bits = new Scope("C#", $"enum {control.Pascal}Controls", FixedControlMembers, diagnostics, reported, scopes, control.Entry);
            foreach (var bit in control.Bits)
            {
                c.Add($"VMX_{control.Upper}_{bit.Upper}", bit.Entry, "its mask");
                c.Add($"VMX_{control.Upper}_{bit.Upper}_BIT", bit.Entry, "its bit position");
                bits.Add(bit.Pascal, bit.Entry, "its flag");
            }
        }

        var layoutCatalog = new Scope("C#", "class LayoutCatalog", FixedCatalogMembers, diagnostics, reported, scopes);
        foreach (var layout in view.Arch.Layouts)
        {
            c.Add($"VMX_{layout.Macro}_RESERVED_MASK", layout.Entry, "its reserved-bits mask");
            var members = new Scope("C#", "struct " + layout.TypeName, FixedLayoutMembers, diagnostics, reported, scopes, layout.Entry);
            layoutCatalog.Add(layout.TypeName, layout.Entry, "its catalog property");
            foreach (var f in layout.Fields)
            {
                foreach (var suffix in new[] { "_SHIFT", "_WIDTH", "_MASK" }) c.Add(f.Macro + suffix, f.Entry, $"its {suffix.Substring(1).ToLowerInvariant()} macro");
                c.Add(f.Getter, f.Entry, "its getter");
                c.Add(f.Setter, f.Entry, "its setter");
                members.Add(f.Pascal, f.Entry, "its property");
                foreach (var suffix in new[] { "Shift", "Width", "Mask" }) members.Add(f.Pascal + suffix, f.Entry, $"its {suffix.ToLowerInvariant()} constant");
                members.Add("With" + f.Pascal, f.Entry, "its With method");
            }
        }

        var enumCatalog = new Scope("C#", "class EnumCatalog", FixedCatalogMembers, diagnostics, reported, scopes);
        foreach (var e in view.Arch.Enums)
        {
            c.Add("vmx_" + e.Stem, e.Entry, "its C enum");
            c.Add($"vmx_{e.Stem}_name", e.Entry, "its name function");
            c.Add($"vmx_{e.Stem}_title", e.Entry, "its title function");
            var members = new Scope("C#", "enum " + e.TypeName, Array.Empty<string>(), diagnostics, reported, scopes, e.Entry);
            enumCatalog.Add(e.TypeName, e.Entry, "its catalog property");
            foreach (var v in e.Values)
            {
                c.Add(v.Macro, v.Entry, "its constant");
                members.Add(v.Pascal, v.Entry, "its enum member");
            }
        }

        var msrs = new Scope("C#", "enum Msr", Array.Empty<string>(), diagnostics, reported, scopes);
        foreach (var m in view.Arch.Msrs)
        {
            c.Add(m.Macro, m.Entry, "its address macro");
            msrs.Add(m.Pascal, m.Entry, "its enum member");
        }
        var bitmapMsrs = new Scope("C#", "struct BitmapMsr", FixedBitmapMsrMembers, diagnostics, reported, scopes);
        foreach (var b in view.Arch.MsrBitmap.InRange)
        {
            c.Add(b.SlotMacro, b.Msr.Entry, "its MSR-bitmap slot macro");
            bitmapMsrs.Add(b.Msr.Pascal, b.Msr.Entry, "its BitmapMsr member");
        }
        var exits = new Scope("C#", "enum ExitReason", Array.Empty<string>(), diagnostics, reported, scopes);
        foreach (var x in view.Arch.ExitReasons)
        {
            c.Add(x.Macro, x.Entry, "its number macro");
            exits.Add(x.Pascal, x.Entry, "its enum member");
        }
        var errors = new Scope("C#", "enum VmInstructionError", Array.Empty<string>(), diagnostics, reported, scopes);
        foreach (var x in view.Arch.Errors)
        {
            c.Add(x.Macro, x.Entry, "its number macro");
            errors.Add(x.Pascal, x.Entry, "its enum member");
        }
        var cpuid = new Scope("C#", "class CpuidCatalog", new[] { "All" }, diagnostics, reported, scopes);
        foreach (var x in view.Cpuid.Bits)
        {
            foreach (var suffix in new[] { "_LEAF", "_SHIFT", "_WIDTH", "_MASK" }) c.Add(x.Macro + suffix, x.Entry, "its " + suffix.Substring(1).ToLowerInvariant() + " macro");
            if (x.HasSubleaf) c.Add(x.Macro + "_SUBLEAF", x.Entry, "its subleaf macro");
            c.Add(x.Function, x.Entry, "its extract function");
            cpuid.Add(x.Pascal, x.Entry, "its catalog member");
        }
        // vmx_checks.h: one constant per check after 'each' expansion, one per control field for allowed().
        foreach (var check in model.Checks)
            foreach (var id in check.Each.Count == 0 ? new[] { check.Id } : check.Each.Select(r => Checks.CheckCompiler.Substitute(check.Id, r, upper: false)))
                c.Add("VMX_CHECK_" + Emit.Names.Upper(id), check, "its check constant");
        if (model.Checks.Count > 0)
            foreach (var control in view.Controls) c.Add("VMX_CHECK_CONTROL_" + control.Upper, control.Entry, "its constant in vmx_checks.h");
        return scopes;
    }

    /// <summary>The names one output language defines in one scope, each with the entry it came from.</summary>
    private sealed class Scope
    {
        private readonly Dictionary<string, (object? Entry, string What)> _names = new(StringComparer.Ordinal);
        private readonly string _language;
        private readonly string _where;
        private readonly DiagnosticBag _diagnostics;

        private readonly List<(object Entry, object? Other)> _reported;

        public Scope(string language, string where, IEnumerable<string> fixedNames, DiagnosticBag diagnostics,
            List<(object, object?)> reported, Dictionary<string, IReadOnlyCollection<string>> scopes, object? owner = null)
        {
            scopes[language == "C" ? "C" : language + ":" + where] = _names.Keys;
            _reported = reported;
            _language = language;
            _where = where;
            _diagnostics = diagnostics;
            foreach (var name in fixedNames) _names[name] = (null, "a name the generator itself defines");
            // A C# member may not have the name of its enclosing type (CS0542): a layout 'info' has no field 'info', and a
            // type named after an entry may not take one of the generator's member names either (struct Info's Info).
            if (language == "C") return;
            var own = where.Substring(where.LastIndexOf(' ') + 1).Replace("<T>", "");
            if (owner is null) _names[own] = (null, "the name of the type itself");
            else Add(own, owner, "its type name");
        }

        public void Add(string name, object entry, string what)
        {
            if (!_names.TryGetValue(name, out var first))
            {
                _names[name] = (entry, what);
                return;
            }
            // One report per pair of entries: their first clashing name says enough (the others follow from it).
            if (_reported.Any(p => ReferenceEquals(p.Entry, entry) && ReferenceEquals(p.Other, first.Entry))) return;
            _reported.Add((entry, first.Entry));
            var mine = Describe(entry);
            var clash = first.Entry is null
                ? "which is " + first.What
                : $"already generated for {Describe(first.Entry)} ({first.What}) at {SpecLinker.Where(_diagnostics.Sources[first.Entry])}";
            _diagnostics.Add(DiagnosticRule.NameCollision, _diagnostics.Sources[entry], mine, _language, name, what, _where, clash);
        }

        private static string Describe(object entry) => entry switch
        {
            VmcsField f => $"VMCS field '{f.Id}'",
            ControlField c => $"control field '{c.Id}'",
            ControlBit b => $"control bit '{b.Id}'",
            Layout l => $"layout '{l.Id}'",
            LayoutField f => $"layout field '{f.Id}'",
            EnumDefinition e => $"enumeration '{e.Id}'",
            EnumValue v => $"enumeration value '{v.Id}'",
            Msr m => $"MSR '{m.Name}'",
            ExitReason x => $"exit reason '{x.Id}'",
            InstructionError x => $"VM-instruction error '{x.Id}'",
            CpuidBits x => $"CPUID entry '{x.Id}'",
            VmEntryCheck x => $"VM-entry check '{x.Id}'",
            _ => "an entry",
        };
    }
}
