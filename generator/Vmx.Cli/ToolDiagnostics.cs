using System;
using System.Collections.Generic;
using System.IO;
using System.Security;
using Vmx.Spec.Lint;

namespace Vmx.Cli;

/// <summary>The diagnostics of the vmxgen tool itself, VMX9xxx: problems with its input files, directories and
/// arguments rather than with the spec's content (those are <see cref="DiagnosticRule.All"/>, VMX0xxx). The one list of
/// them; <c>vmxgen check --list</c> prints it after the lint rules.</summary>
public static class ToolDiagnostics
{
    // To add one: a descriptor below (see the note atop Vmx.Spec/Lint/DiagnosticRule.cs), appended to All, a row in
    // AnalyzerReleases.Unshipped.md and a case in tests/Vmx.Cli.Tests/ToolDiagnosticTests.cs.
    private const string Tool = DiagnosticCategory.Tool;

    public static readonly DiagnosticRule FileAccess = new("VMX9001", "Cannot read or write a file",
        "cannot {0}: {1}", Tool,
        "A spec file, capability dump or output file or directory could not be read or written (permissions, a dangling " +
        "symbolic link, --out naming a file rather than a directory); nothing was written.");
    public static readonly DiagnosticRule NoSpec = new("VMX9002", "No spec",
        "spec directory {0}", Tool,
        "The spec directory does not exist or holds no *.yaml spec files (*.yml files are not read).");
    public static readonly DiagnosticRule DumpNotFound = new("VMX9003", "Capability dump not found",
        "capability dump {0}", Tool,
        "The capability dump given to 'caps' does not exist or is a directory.");
    public static readonly DiagnosticRule MalformedDump = new("VMX9004", "Malformed capability dump",
        "malformed capability dump: {0}", Tool,
        "The capability dump is not valid JSON, or not of the format the C driver writes (tests/fixtures/caps/*.json).");
    public static readonly DiagnosticRule NotVmx = new("VMX9005", "Not a VMX processor",
        "not a VMX processor: {0}", Tool,
        "The capability dump lacks an MSR that every VMX processor reports (IA32_VMX_BASIC, the control capabilities, ...).");
    public static readonly DiagnosticRule UndefinedExitReason = new("VMX9006", "Undefined exit reason",
        "exit reason {0} is not defined by the SDM", Tool,
        "The basic exit reason (bits 15:0 of the exit-reason field) is not one the SDM defines.");
    public static readonly DiagnosticRule UnknownName = new("VMX9007", "Name not in the spec",
        "'{0}' is not in the spec; {1}", Tool,
        "'explain' was given a name that is no VMCS field, control bit, layout field, MSR, exit reason, VM-instruction " +
        "error, CPUID bit or VM-entry check of the spec, by id, C name or SDM title; the message suggests the nearest known name.");
    public static readonly DiagnosticRule ImplausibleCapabilities = new("VMX9008", "Impossible capability value",
        "impossible capability value: {0}", Tool,
        "The capability dump reports what no processor can (SDM Appendix A): a control that must be 1 but may not be 1, a " +
        "VMCS region size of 0 or above 4096, an undefined memory type, IA32_VMX_BASIC bit 31 set. Reported, not fatal.",
        DiagnosticLevel.Warning);
    public static readonly DiagnosticRule ImplausibleExitReason = new("VMX9009", "Impossible exit-reason field",
        "impossible exit-reason field: {0}", Tool,
        "The exit-reason field has reserved bits set, or bit 31 (VM-entry failure) with a basic reason that is not a " +
        "VM-entry failure reason (33, 34, 41). Reported, not fatal.", DiagnosticLevel.Warning);
    public static readonly DiagnosticRule MalformedVmcsDump = new("VMX9010", "Malformed VMCS dump",
        "malformed VMCS dump: {0}", Tool,
        "The VMCS given to 'why' is neither the driver's JSON VMCS dump (runtime/Vmx.Runtime/README.md) nor a Linux KVM " +
        "dump_vmcs log, or it has a line or value that cannot be read: invalid JSON, an unknown field, a value wider than " +
        "its field, a dump_vmcs line that does not match the kernel's format.");
    public static readonly DiagnosticRule MalformedCpuFacts = new("VMX9011", "Malformed CPU facts",
        "malformed --cpu: {0}", Tool,
        "'why --cpu' takes name=value pairs separated by commas, each name a CPU fact the VM-entry checks read " +
        "(maxphyaddr, linear_address_width, current_lma, ...) and each value a decimal or 0x hex number.");

    public static IReadOnlyList<DiagnosticRule> All { get; } = new[]
    {
        FileAccess, NoSpec, DumpNotFound, MalformedDump, NotVmx, UndefinedExitReason, UnknownName,
        ImplausibleCapabilities, ImplausibleExitReason, MalformedVmcsDump, MalformedCpuFacts,
    };

    /// <summary><c>where: error|warning VMXnnnn: message</c>, the form of every located problem, with the severity and
    /// message format of <paramref name="rule"/>.</summary>
    public static string Line(string where, DiagnosticRule rule, params string[] arguments) =>
        $"{where}: {rule.SeverityWord} {rule.Id}: {rule.Format(arguments)}";

    /// <summary>Why an I/O operation failed, in words, without .NET's exception text where a plainer one exists.</summary>
    public static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException or SecurityException => "permission denied",
        FileNotFoundException => "no such file or directory",
        DirectoryNotFoundException => "a directory on its path does not exist",
        PathTooLongException => "the path is too long",
        _ => e.Message,
    };

    /// <summary>Whether <paramref name="e"/> is an I/O failure to report rather than a bug to crash on.</summary>
    public static bool IsIoFailure(Exception e) => e is IOException or UnauthorizedAccessException or SecurityException;
}
