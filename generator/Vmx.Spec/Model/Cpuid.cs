namespace Vmx.Spec.Model;

/// <summary>A CPU fact read with CPUID: bits <see cref="Lsb"/>..<see cref="Msb"/> of <see cref="Register"/> after CPUID
/// with EAX = <see cref="Leaf"/> (and ECX = <see cref="Subleaf"/> when the leaf has subleaves). The id spells where
/// the bits are: <c>cpuid.1.ecx.vmx</c>, <c>cpuid.80000008.eax.maxphyaddr</c>.</summary>
public sealed record CpuidBits(string Id, uint Leaf, uint? Subleaf, string Register, int Lsb, int Msb, string Title,
    string Section, string Description, string SdmRevision)
{
    public int Width => Msb - Lsb + 1;
}
