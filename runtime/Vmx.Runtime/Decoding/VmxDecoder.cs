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

    /// <summary>The exit-reason field and exit qualification with the event's vector, which selects the qualification's
    /// layout for exception-or-NMI exits (#DB, #PF); null: no vector known.</summary>
    public static ExitDescription Exit(uint exitReasonField, ulong qualification, uint? vector) =>
        ExitDecoder.Describe(exitReasonField, qualification, vector);

    /// <summary>The exit-reason field and exit qualification with the VM-exit interruption-information field, whose
    /// vector (generated layout <see cref="VmExitInterruptionInformation"/>) selects the qualification's layout.</summary>
    public static ExitDescription ExitWithInterruptionInformation(uint exitReasonField, ulong qualification, uint interruptionInformation) =>
        ExitDecoder.Describe(exitReasonField, qualification, VectorOf(interruptionInformation));

    /// <summary>The vector of a VM-exit interruption-information field (its generated layout's <c>vector</c> field).</summary>
    public static uint VectorOf(uint interruptionInformation) => new VmExitInterruptionInformation(interruptionInformation).Vector;

    /// <summary>The largest vector the VM-exit interruption information holds (its <c>vector</c> field all ones).</summary>
    public static uint MaxVector => VmExitInterruptionInformation.VectorMask >> VmExitInterruptionInformation.VectorShift;

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

    /// <summary>The basic exit reasons a VM-entry failure reports (SDM "VM-Entry Failures During or After Loading Guest
    /// State": invalid guest state, MSR loading, machine-check event); with any other, bit 31 cannot be set.</summary>
    public static System.Collections.Generic.IReadOnlyList<ExitReason> EntryFailureReasons { get; } = new[]
    {
        ExitReason.VmEntryFailureInvalidGuestState, ExitReason.VmEntryFailureMsrLoading, ExitReason.VmEntryFailureMachineCheck,
    };

    /// <summary>What in an exit-reason field no processor writes: reserved bits set (bits the generated exit-reason
    /// layout does not name), or the VM-entry-failure bit with a basic reason that is not a VM-entry failure reason.
    /// Empty for a plausible field.</summary>
    public static System.Collections.Generic.IReadOnlyList<string> ExitReasonProblems(uint exitReasonField)
    {
        var problems = new System.Collections.Generic.List<string>();
        var field = new ExitReasonValue(exitReasonField);
        var reserved = exitReasonField & ExitReasonValue.ReservedMask;
        if (reserved != 0)
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"exit-reason field 0x{exitReasonField:X8} has reserved bits set (0x{reserved:X8}: {BitList(reserved)}); a processor writes them as 0"));
        var basic = field.BasicExitReason;
        if (field.VmEntryFailure && !EntryFailureReasons.Any(r => (uint)r == basic))
        {
            var allowed = string.Join(", ", EntryFailureReasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{(uint)r} {ExitReasonCatalog.Find(r)?.Id}")));
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"bit 31 (VM-entry failure) is set, but basic exit reason {basic}{(ExitReasonCatalog.Find(basic) is { } info ? " " + info.Id : "")} is no VM-entry failure reason ({allowed})"));
        }
        return problems;
    }

    private static string BitList(ulong mask)
    {
        var bits = new System.Collections.Generic.List<int>();
        for (var m = mask; m != 0; m &= m - 1) bits.Add(System.Numerics.BitOperations.TrailingZeroCount(m));
        return (bits.Count == 1 ? "bit " : "bits ") + string.Join(", ", bits);
    }

    /// <summary>An exit reason by number (decimal digits, or 0x and hex digits; bit 31 allowed), spec id (<c>cpuid</c>)
    /// or <see cref="ExitReason"/> name (<c>Cpuid</c>), ignoring case. Nothing else: no signs, spaces, or lists such as
    /// <c>cpuid,hlt</c>.</summary>
    public static bool TryParseExitReason(string text, out uint exitReasonField)
    {
        exitReasonField = 0;
        if (text.Length > 0 && char.IsDigit(text[0]))
        {
            if (!TryParseNumber(text, out var number) || number > uint.MaxValue) return false;
            exitReasonField = (uint)number;
            return true;
        }
        var match = ExitReasonCatalog.All.FirstOrDefault(r =>
            string.Equals(r.Id, text, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(r.Reason.ToString(), text, StringComparison.OrdinalIgnoreCase));
        if (match is null) return false;
        exitReasonField = match.Number;
        return true;
    }

    /// <summary>A number as decimal digits or 0x and hex digits, nothing else (no sign, spaces or separators).</summary>
    public static bool TryParseNumber(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
