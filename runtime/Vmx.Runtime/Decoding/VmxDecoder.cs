using System;
using System.Globalization;
using System.Linq;

namespace Vmx;

/// <summary>Decoders for the values a VM exit leaves behind. Each is a thin wrapper over a generated layout or
/// catalog: the bit positions live in the spec, never here.</summary>
public static class VmxDecoder
{
    /// <summary>The exit-reason field and exit qualification (generated <see cref="ExitDecoder"/>).</summary>
    public static ExitDescription Exit(uint exitReasonField, ulong qualification) => ExitDecoder.Describe(exitReasonField, qualification);

    /// <summary>"VM-instruction error 4: VMLAUNCH with non-clear VMCS", or says the number is undefined.</summary>
    public static string InstructionError(uint number) => VmInstructionErrorCatalog.Find(number) is { } info
        ? $"VM-instruction error {number}: {info.Title}"
        : $"VM-instruction error {number}: not defined by the SDM";

    public static DecodedValue ExitInterruptionInformation(uint value) => Decode(VmExitInterruptionInformation.Info, value);

    public static DecodedValue EntryInterruptionInformation(uint value) => Decode(VmEntryInterruptionInformation.Info, value);

    public static DecodedValue IdtVectoringInformation(uint value) => Decode(Vmx.IdtVectoringInformation.Info, value);

    public static DecodedValue SegmentAccessRights(uint value) => Decode(Vmx.SegmentAccessRights.Info, value);

    public static DecodedValue EptViolation(ulong qualification) => Decode(ExitQualificationEptViolation.Info, qualification);

    public static DecodedValue Decode(LayoutInfo layout, ulong value) => new(layout, value, layout.Decode(value));

    /// <summary>An exit reason by number (decimal or 0x hex, bit 31 allowed), spec id (<c>cpuid</c>) or enum name
    /// (<c>Cpuid</c>).</summary>
    public static bool TryParseExitReason(string text, out uint exitReasonField)
    {
        if (TryParseNumber(text, out var number) && number <= uint.MaxValue)
        {
            exitReasonField = (uint)number;
            return true;
        }
        var byId = ExitReasonCatalog.All.FirstOrDefault(r => string.Equals(r.Id, text, StringComparison.OrdinalIgnoreCase));
        if (byId is not null)
        {
            exitReasonField = byId.Number;
            return true;
        }
        if (Enum.TryParse<ExitReason>(text, ignoreCase: true, out var reason) && !char.IsDigit(text[0]))
        {
            exitReasonField = (uint)reason;
            return true;
        }
        exitReasonField = 0;
        return false;
    }

    public static bool TryParseNumber(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
