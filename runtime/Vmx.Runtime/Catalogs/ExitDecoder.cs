using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Vmx;

/// <summary>A VM exit taken apart: the basic reason, the VM-entry-failure bit and the other bits of the exit-reason
/// field that are set, and the exit qualification decoded by the layout the reason names.</summary>
public sealed record ExitDescription(
    uint ExitReasonField,
    ushort BasicReason,
    bool IsEntryFailure,
    ExitReasonInfo? Reason,
    IReadOnlyList<DecodedField> Flags,
    ulong RawQualification,
    LayoutInfo? QualificationLayout,
    IReadOnlyList<DecodedField> Qualification)
{
    /// <summary>The event's vector (bits 7:0 of the VM-exit interruption information) when the caller gave one.</summary>
    public uint? Vector { get; init; }

    /// <summary>The reason's qualification layout depends on the vector and no vector was given, so
    /// <see cref="Qualification"/> is empty.</summary>
    public bool QualificationNeedsVector => Reason is { QualificationDependsOnVector: true } && Vector is null;

    /// <summary>One line: reason, flags, then every qualification field.</summary>
    public string Text
    {
        get
        {
            var text = new StringBuilder();
            if (IsEntryFailure) text.Append("VM-entry failure: ");
            text.Append("exit reason ").Append(BasicReason.ToString(CultureInfo.InvariantCulture));
            if (Reason is null) text.Append(" (undefined)");
            else text.Append(' ').Append(Reason.Id).Append(" (").Append(Reason.Title).Append(')');
            foreach (var flag in Flags) text.Append(" [").Append(flag.Id).Append(']');
            if (Vector is { } vector) text.Append(" vector ").Append(vector.ToString(CultureInfo.InvariantCulture));
            text.Append("; qualification 0x").Append(RawQualification.ToString("X", CultureInfo.InvariantCulture));
            if (QualificationLayout is not null)
            {
                text.Append(" (").Append(QualificationLayout.Id).Append("): ");
                text.Append(string.Join(", ", Qualification));
            }
            else if (QualificationNeedsVector)
            {
                text.Append(" (not decoded: the layout depends on the vector, which was not given;");
                foreach (var pair in Reason!.QualificationByVector.OrderBy(p => p.Key))
                    text.Append(" vector ").Append(pair.Key.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(pair.Value.Id).Append(',');
                text.Append(" other vectors none)");
            }
            return text.ToString();
        }
    }

    public override string ToString() => Text;
}

/// <summary>Decodes VM exits from the spec's layouts: the exit-reason field by the spec's exit-reason layout, the
/// qualification by the layout <see cref="ExitReasonCatalog"/> names for the reason. The generated half names the
/// exit-reason layout and its basic-reason and entry-failure fields (the lint, VMX0021, guarantees their shape).</summary>
public static partial class ExitDecoder
{
    /// <summary>Takes apart the exit-reason VMCS field and the exit qualification saved with it. A reason whose
    /// qualification layout depends on the vector (<see cref="ExitReasonInfo.QualificationDependsOnVector"/>) decodes no
    /// qualification fields here: give the vector to <see cref="Describe(uint, ulong, uint?)"/>.</summary>
    public static ExitDescription Describe(uint exitReasonField, ulong qualification) => Describe(exitReasonField, qualification, null);

    /// <summary>Takes apart the exit-reason VMCS field and the exit qualification saved with it; <paramref name="vector"/> is
    /// the event's vector (bits 7:0 of the VM-exit interruption information) and selects the qualification's layout for a
    /// reason whose layout depends on it (exception or NMI: #DB, #PF). Null: no vector known.</summary>
    /// <exception cref="InvalidOperationException">The spec defines no exit-reason layout.</exception>
    public static ExitDescription Describe(uint exitReasonField, ulong qualification, uint? vector)
    {
        var reasonLayout = ExitReasonLayout ?? throw new InvalidOperationException("the spec defines no exit-reason layout to decode with");
        LayoutFieldInfo? basicField = null, failureField = null;
        var flags = new List<DecodedField>();
        foreach (var f in reasonLayout.Fields)
        {
            if (f.Id == BasicReasonFieldId) basicField = f;
            else if (f.Id == EntryFailureFieldId) failureField = f;
            else if (f.Extract(exitReasonField) != 0) flags.Add(f.Decode(exitReasonField));
        }
        var basic = (ushort)basicField!.Extract(exitReasonField);
        var reason = ExitReasonCatalog.Find(basic);
        var layout = reason?.QualificationFor(vector);
        var decoded = layout is null ? Array.Empty<DecodedField>() : layout.Decode(qualification);
        return new ExitDescription(exitReasonField, basic, failureField!.Extract(exitReasonField) != 0, reason, flags, qualification, layout, decoded)
        {
            Vector = vector,
        };
    }

    /// <summary>Describes a true VM exit with this basic reason.</summary>
    public static ExitDescription Describe(ExitReason reason, ulong qualification) => Describe((uint)reason, qualification);

    /// <summary>Describes a true VM exit with this basic reason and event vector.</summary>
    public static ExitDescription Describe(ExitReason reason, ulong qualification, uint? vector) => Describe((uint)reason, qualification, vector);
}
