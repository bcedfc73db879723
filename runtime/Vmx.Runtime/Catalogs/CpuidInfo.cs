namespace Vmx;

/// <summary>The output register of CPUID that holds a fact.</summary>
public enum CpuidRegister { Eax, Ebx, Ecx, Edx }

/// <summary>A CPU fact read with CPUID: bits <see cref="Lsb"/> upward, <see cref="Width"/> wide, of <see cref="Register"/>
/// after CPUID with EAX = <see cref="Leaf"/> (and ECX = <see cref="Subleaf"/> when the leaf has subleaves). The generated
/// <see cref="CpuidCatalog"/> holds one per entry of spec/cpuid.</summary>
public sealed record CpuidInfo(string Id, uint Leaf, uint? Subleaf, CpuidRegister Register, int Lsb, int Width, string Title, string Section)
{
    public uint Mask => (Width >= 32 ? uint.MaxValue : (1u << Width) - 1) << Lsb;

    /// <summary>The fact's value in the output register's value.</summary>
    public uint Extract(uint register) => (register & Mask) >> Lsb;

    /// <summary>The fact's value in the four output registers of this leaf.</summary>
    public uint Extract(uint eax, uint ebx, uint ecx, uint edx) => Extract(Register switch
    {
        CpuidRegister.Eax => eax,
        CpuidRegister.Ebx => ebx,
        CpuidRegister.Ecx => ecx,
        _ => edx,
    });
}
