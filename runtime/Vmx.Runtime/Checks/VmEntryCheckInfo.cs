using System;
using System.Collections.Generic;
using System.Globalization;

namespace Vmx;

/// <summary>What the processor reports when a VM-entry check fails: VMfailValid with VM-instruction error 7 or 8, or a
/// VM-entry failure, exit reason 33 or 34 with bit 31 set and an exit qualification.</summary>
public readonly record struct VmEntryOutcome(int Number, int? Qualification)
{
    public bool IsVmExit => Number >= 33;

    public override string ToString() => IsVmExit
        ? $"VM-entry failure, exit reason {Number}" + (Qualification is { } q ? $" (exit qualification {q})" : " (exit qualification: index of the failing MSR entry)")
        : $"VMfailValid, VM-instruction error {Number}";
}

public enum CheckVerdict : byte
{
    /// <summary>Not evaluated (the validator has not run).</summary>
    None,
    /// <summary>The check's precondition (<c>when</c>) does not hold: the rule does not apply to this VMCS.</summary>
    NotApplicable,
    Passed,
    Violated,
    /// <summary>An input the check needs is missing (a field the dump lacks, no capability MSRs, no guest memory).</summary>
    NotDecidable,
}

/// <summary>One VM-entry check of the spec (spec/checks), as the generated catalog lists it.</summary>
public sealed class VmEntryCheckInfo
{
    private readonly string _messageFormat;

    public VmEntryCheckInfo(int index, string id, string title, char category, string section, VmEntryOutcome outcome,
        string[] inputs, string? when, string require, string message, string messageFormat, string? bochs)
    {
        Index = index;
        Id = id;
        Title = title;
        Category = category;
        Section = section;
        Outcome = outcome;
        Inputs = inputs;
        When = when;
        Require = require;
        Message = message;
        _messageFormat = messageFormat;
        Bochs = bochs;
    }

    public int Index { get; }
    public string Id { get; }
    public string Title { get; }
    /// <summary>The catalogue's category letter (A-L, M for MSR loading).</summary>
    public char Category { get; }
    /// <summary>The SDM section title the rule is stated in.</summary>
    public string Section { get; }
    public VmEntryOutcome Outcome { get; }
    public IReadOnlyList<string> Inputs { get; }
    /// <summary>The precondition in the check language, or null when the rule always applies.</summary>
    public string? When { get; }
    /// <summary>What must hold, in the check language.</summary>
    public string Require { get; }
    /// <summary>The message template as the spec writes it, with <c>{expression}</c> placeholders.</summary>
    public string Message { get; }
    /// <summary>Where Bochs 2.7 checks less or differently than the SDM, or null.</summary>
    public string? Bochs { get; }

    /// <summary>The message with the values a violation captured.</summary>
    public string FormatMessage(ReadOnlySpan<ulong> values)
    {
        var boxed = new object[values.Length];
        for (var i = 0; i < values.Length; i++) boxed[i] = values[i];
        return string.Format(CultureInfo.InvariantCulture, _messageFormat, boxed);
    }

    public override string ToString() => Id;
}
