using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>The CPU facts of spec/cpuid as the runtime sees them. Expected values are the SDM's (CPUID—CPU
/// Identification), written here by hand.</summary>
public class CpuidCatalogTests
{
    [Fact]
    public void Long_mode_is_cpuid_80000001_edx_bit_29()
    {
        var lm = CpuidCatalog.Leaf80000001EdxLm;
        Assert.Equal("cpuid.80000001.edx.lm", lm.Id);
        Assert.Equal((0x80000001u, (uint?)null, CpuidRegister.Edx), (lm.Leaf, lm.Subleaf, lm.Register));
        Assert.Equal(1u, lm.Extract(1u << 29));
        Assert.Equal(0u, lm.Extract(~(1u << 29)));
        // From all four registers, only EDX counts.
        Assert.Equal(0u, lm.Extract(1u << 29, 1u << 29, 1u << 29, 0));
        Assert.Equal(1u << 29, lm.Mask);
    }

    [Fact]
    public void Maxphyaddr_and_linear_width_share_leaf_80000008_eax()
    {
        // 0x3027: 48-bit linear, 39-bit physical addresses (a typical client part).
        Assert.Equal(39u, CpuidCatalog.Leaf80000008EaxMaxphyaddr.Extract(0x3027));
        Assert.Equal(48u, CpuidCatalog.Leaf80000008EaxLinearAddressWidth.Extract(0x3027));
    }

    [Fact]
    public void La57_is_in_subleaf_0_of_leaf_7_and_fred_in_subleaf_1()
    {
        Assert.Equal((7u, (uint?)0u, CpuidRegister.Ecx, 16), (CpuidCatalog.Leaf7Sub0EcxLa57.Leaf, CpuidCatalog.Leaf7Sub0EcxLa57.Subleaf,
            CpuidCatalog.Leaf7Sub0EcxLa57.Register, CpuidCatalog.Leaf7Sub0EcxLa57.Lsb));
        Assert.Contains(CpuidCatalog.All, c => c.Id == "cpuid.7.1.eax.fred" && c.Lsb == 17);
        Assert.Equal((7u, (uint?)1u, CpuidRegister.Eax, 26, 1), (CpuidCatalog.Leaf7Sub1EaxLam.Leaf, CpuidCatalog.Leaf7Sub1EaxLam.Subleaf,
            CpuidCatalog.Leaf7Sub1EaxLam.Register, CpuidCatalog.Leaf7Sub1EaxLam.Lsb, CpuidCatalog.Leaf7Sub1EaxLam.Width));
        Assert.Equal(CpuidCatalog.All.Count, CpuidCatalog.All.Select(c => c.Id).Distinct().Count());
    }
}
