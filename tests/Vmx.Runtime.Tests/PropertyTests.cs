using System.Collections.Generic;
using System.Numerics;
using CsCheck;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>CsCheck properties: adjustment invariants over random capability MSRs and requests, and bit-field
/// round trips over every generated layout.</summary>
public class PropertyTests
{
    private static readonly ControlFieldInfo Pin = ControlFieldCatalog.All[(int)ControlFieldKind.Pin];

    [Fact]
    public void Adjusted_value_lies_between_allowed0_and_allowed1_and_holds_every_required_bit_or_an_error()
    {
        Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, (a0, a1, required, optional, cleared) => (a0, a1, required, optional, cleared))
            .Sample(t =>
            {
                // A real MSR never reports a bit as must-be-1 and not-allowed-1 at once: allowed-0 ⊆ allowed-1.
                var allowed1 = (ulong)t.a1;
                var allowed0 = t.a0 & allowed1;
                var capability = new ControlCapability(Pin, MsrCatalog.Find(Msr.Ia32VmxTruePinbasedCtls), allowed0, allowed1, 32, null);
                var missing = new List<MissingControl>();
                var value = ControlAdjuster.AdjustOne(capability, new ControlRequest(t.required, t.optional, t.cleared), missing);
                Assert.Equal(0UL, allowed0 & ~value);
                Assert.Equal(0UL, value & ~allowed1);
                var lacking = t.required & ~allowed1;
                Assert.Equal(BitOperations.PopCount(lacking), missing.Count);
                if (missing.Count == 0) Assert.Equal(0UL, t.required & ~value);
                // Optional bits the processor allows are always granted.
                Assert.Equal(t.optional & allowed1, value & t.optional & allowed1);
            });
    }

    [Fact]
    public void Every_layout_reassembles_from_its_decoded_fields()
    {
        Gen.ULong.Sample(value =>
        {
            foreach (var layout in LayoutCatalog.All)
            {
                var width = layout.Width >= 64 ? ulong.MaxValue : (1UL << layout.Width) - 1;
                var v = value & width;
                var rebuilt = 0UL;
                foreach (var field in layout.Decode(v)) rebuilt |= field.Value << field.Field.Lsb;
                Assert.Equal(v & layout.DefinedMask, rebuilt);
                Assert.Equal(0UL, layout.DefinedMask & layout.ReservedMask);
            }
        });
    }

    [Fact]
    public void Segment_access_rights_setters_round_trip_and_touch_nothing_else()
    {
        Gen.Select(Gen.UInt, Gen.Byte, Gen.Bool, (raw, small, flag) => (raw, small, flag)).Sample(t =>
        {
            var rights = new SegmentAccessRights(t.raw);
            var type = (byte)(t.small & 0xF);
            var dpl = (byte)(t.small & 0x3);
            Assert.Equal(type, rights.WithSegmentType(type).SegmentType);
            Assert.Equal(t.raw & ~0xFU, rights.WithSegmentType(type).Value & ~0xFU);
            Assert.Equal(dpl, rights.WithDpl(dpl).Dpl);
            Assert.Equal(t.raw & ~0x60U, rights.WithDpl(dpl).Value & ~0x60U);
            // Bit 16: segment unusable (SDM "Guest Register State").
            Assert.Equal(t.flag, rights.WithUnusable(t.flag).Unusable);
            Assert.Equal(t.flag, (rights.WithUnusable(t.flag).Value & 0x10000) != 0);
        });
    }

    [Fact]
    public void Eptp_and_basic_fields_match_the_sdm_positions()
    {
        Gen.ULong.Sample(raw =>
        {
            // EPTP: memory type 2:0, page-walk length - 1 in 5:3, A/D enable bit 6 (SDM "Extended-Page-Table Pointer").
            var eptp = new Eptp(raw);
            Assert.Equal(raw & 7, (ulong)eptp.MemoryType);
            Assert.Equal((raw >> 3) & 7, (ulong)eptp.PageWalkLengthMinus1);
            Assert.Equal(((raw >> 6) & 1) != 0, eptp.EnableAccessedDirty);
            // IA32_VMX_BASIC: revision 30:0, region size 44:32, memory type 53:50, TRUE controls 55 (SDM A.1).
            var basic = new Ia32VmxBasic(raw);
            Assert.Equal(raw & 0x7FFFFFFF, basic.VmcsRevisionIdentifier);
            Assert.Equal((raw >> 32) & 0x1FFF, basic.VmcsRegionSize);
            Assert.Equal((raw >> 50) & 0xF, (ulong)basic.MemoryType);
            Assert.Equal(((raw >> 55) & 1) != 0, basic.TrueControls);
            Assert.Equal(raw, basic.WithVmcsRevisionIdentifier(basic.VmcsRevisionIdentifier).Value);
        });
    }

    [Fact]
    public void Interruption_information_fields_match_the_sdm_positions()
    {
        Gen.UInt.Sample(raw =>
        {
            // Vector 7:0, type 10:8, error code valid 11, NMI unblocking 12, valid 31 (SDM "VM-Exit Information Fields").
            var info = new VmExitInterruptionInformation(raw);
            Assert.Equal(raw & 0xFF, info.Vector);
            Assert.Equal((raw >> 8) & 7, (uint)info.InterruptionType);
            Assert.Equal(((raw >> 11) & 1) != 0, info.ErrorCodeValid);
            Assert.Equal(((raw >> 31) & 1) != 0, info.Valid);
        });
    }
}
