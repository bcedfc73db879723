using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Vmx.Spec.Model;

namespace Vmx.Spec.Emit;

/// <summary>The CPUID area as the templates see it: every entry in spec order, and the SDM revisions they were checked against.</summary>
public sealed class CpuidAreaView
{
    public CpuidAreaView(SpecModel model)
    {
        Bits = model.Cpuid.Select(x => new CpuidBitsView(x)).ToList();
        Revisions = model.Cpuid.Select(x => x.SdmRevision).Where(r => r.Length > 0).Distinct()
            .OrderBy(r => r, StringComparer.Ordinal).ToList();
    }

    public List<CpuidBitsView> Bits { get; }
    public List<string> Revisions { get; }
    public string Revision => Revisions.Count == 0 ? "unknown" : string.Join(", ", Revisions);
}

public sealed class CpuidBitsView : EntryView
{
    public CpuidBitsView(CpuidBits x)
        : base(x.Id, x.Title, x.Description, x)
    {
        var leafHex = x.Leaf.ToString("X", CultureInfo.InvariantCulture);
        var name = x.Id.Substring(x.Id.LastIndexOf('.') + 1);
        // cpuid.7.0.ecx.la57 → VMX_CPUID_7_0_ECX_LA57; C# member Leaf7Sub0EcxLa57 (Sub keeps leaf 7 subleaf 0 apart from leaf 0x70).
        Macro = "VMX_" + x.Id.Replace('.', '_').ToUpperInvariant();
        Function = "vmx_" + x.Id.Replace('.', '_');
        Pascal = "Leaf" + leafHex + (x.Subleaf is { } s ? "Sub" + s.ToString(CultureInfo.InvariantCulture) : "") +
                 Names.Pascal(x.Register) + Names.Pascal(name);
        Leaf = Names.Hex(x.Leaf, 8);
        HasSubleaf = x.Subleaf is not null;
        Subleaf = x.Subleaf ?? 0;
        Register = x.Register;
        RegisterPascal = Names.Pascal(x.Register);
        Lsb = x.Lsb;
        Msb = x.Msb;
        Width = x.Width;
        Mask = Names.Hex((x.Width >= 32 ? 0xFFFFFFFFUL : (1UL << x.Width) - 1) << x.Lsb, 8);
        Bits = x.Width == 1 ? x.Lsb.ToString(CultureInfo.InvariantCulture) : $"{x.Msb}:{x.Lsb}";
        Where = $"CPUID.{(x.Subleaf is { } sub ? $"(EAX={leafHex}H,ECX={sub})" : leafHex + "H")}:{x.Register.ToUpperInvariant()}[{Bits}]";
        Section = x.Section;
        Result = x.Width == 1 ? "uint8_t" : x.Width <= 8 ? "uint8_t" : x.Width <= 16 ? "uint16_t" : "uint32_t";
    }

    public string Macro { get; }
    public string Function { get; }
    public string Pascal { get; }
    public string Leaf { get; }
    public bool HasSubleaf { get; }
    public uint Subleaf { get; }
    public string Register { get; }
    public string RegisterPascal { get; }
    public int Lsb { get; }
    public int Msb { get; }
    public int Width { get; }
    public string Mask { get; }
    public string Bits { get; }
    /// <summary>The SDM's notation: <c>CPUID.(EAX=7H,ECX=0):ECX[16]</c>.</summary>
    public string Where { get; }
    public string Section { get; }
    /// <summary>The C type the extracted value fits.</summary>
    public string Result { get; }
}
