using Vmx.Spec.Model;

namespace Vmx.Spec.Lint;

/// <summary>The VMCS component encoding the lint enforces (SDM "Field Encoding in VMCS"): the one place that names
/// its bit positions. <see cref="VmcsLint"/> checks every field's encoding with them; <see cref="ContractLint"/> holds
/// layout <c>vmcs_component_encoding</c> and enumerations <c>vmcs_field_width</c>/<c>vmcs_field_type</c> of the spec
/// to them, so the spec and the lint cannot drift apart.</summary>
internal static class EncodingRules
{
    public const string LayoutId = "vmcs_component_encoding";
    public const string WidthEnumId = "vmcs_field_width";
    public const string TypeEnumId = "vmcs_field_type";
    public const int LayoutWidth = 32;

    /// <summary>A part of the encoding: a layout field id, its bits and the enumeration its values come from.</summary>
    public sealed record Part(string Id, int Lsb, int Msb, string? Enum)
    {
        public uint Extract(uint encoding) => (encoding >> Lsb) & ((1u << (Msb - Lsb + 1)) - 1);
        public string Bits => Msb == Lsb ? Lsb.ToString() : $"{Msb}:{Lsb}";
    }

    public static readonly Part AccessType = new("access_type", 0, 0, null);
    public static readonly Part Index = new("index", 1, 9, null);
    public static readonly Part Type = new("type", 10, 11, TypeEnumId);
    public static readonly Part Width = new("width", 13, 14, WidthEnumId);
    public static readonly Part[] Parts = { AccessType, Index, Type, Width };

    /// <summary>Reserved: bit 12 and bits 31:15.</summary>
    public const int ReservedBit = 12;
    public const int ReservedFrom = 15;

    /// <summary>The enumeration value id the spec must give a width or type code: the loader's own name for it in
    /// snake case (<see cref="FieldWidth.Bits16"/> → <c>bits16</c>, <see cref="FieldType.ExitInformation"/> → <c>exit_information</c>).</summary>
    public static string ValueId(System.Enum code)
    {
        var name = code.ToString();
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }
}
