using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace Vmx.Spec.Lint;

// HOW TO ADD A DIAGNOSTIC (one id, one meaning, never reused):
//  1. Add one `public static readonly DiagnosticRule` below: new(id, title, message format, category, description),
//     plus `severity: DiagnosticLevel.Warning` for a warning. The format takes positional arguments {0}, {1}, ...
//     that the call site passes as strings: diagnostics.Add(DiagnosticRule.X, location, "arg0", "arg1").
//  2. Append it to All (or, for the vmxgen tool's own VMX9xxx, to ToolDiagnostics.All in Vmx.Cli).
//  3. Add a row to generator/Vmx.Generator/AnalyzerReleases.Unshipped.md (ReleaseTrackingTests compares them).
//  4. Add a failing case to tests/Vmx.Spec.Tests/RuleCases.cs, its expectations to LintRuleTests.Descriptors, and an
//     example to generator/Vmx.Cli/DiagnosticExamples.cs (the rules page,
//     spec/reference/diagnostics.md, shows it; regenerate with `vmxgen generate docs`).

/// <summary>How bad a diagnostic is; the Roslyn generator maps it to DiagnosticSeverity one to one.</summary>
public enum DiagnosticLevel { Error, Warning }

/// <summary>The categories of <see cref="DiagnosticRule.Category"/>, as Roslyn analyzers group their rules.</summary>
public static class DiagnosticCategory
{
    /// <summary>The YAML and the spec format: keys, value kinds, identifiers.</summary>
    public const string Syntax = "VmxSpec.Syntax";
    /// <summary>Entries that must be unique or fit their bits: duplicate names and numbers, overlaps, widths.</summary>
    public const string Consistency = "VmxSpec.Consistency";
    /// <summary>The VMCS component encoding rules (SDM "Field Encoding in VMCS").</summary>
    public const string Encoding = "VmxSpec.Encoding";
    /// <summary>One entry naming another that does not exist.</summary>
    public const string References = "VmxSpec.References";
    /// <summary>Entries the emitters look up by id.</summary>
    public const string Contract = "VmxSpec.Contract";
    /// <summary>The Roslyn generator's own input and failures.</summary>
    public const string Generator = "VmxSpec.Generator";
    /// <summary>The vmxgen tool's files, directories and arguments (VMX9xxx).</summary>
    public const string Tool = "VmxTool";
}

/// <summary>Where the rules page is published: the repository URL is stated here and nowhere else.</summary>
public static class DiagnosticLinks
{
    public const string Repository = "https://github.com/vmxgen/vmxgen";
    public const string RulesPage = Repository + "/blob/main/spec/reference/diagnostics.md";

    /// <summary>The rules page's anchor for an id: its heading is the id, so the anchor is the id in lower case.</summary>
    public static string For(string id) => RulesPage + "#" + id.ToLowerInvariant();
}

/// <summary>A diagnostic descriptor: one stable id, one kind of problem (CommunityToolkit's "one diagnostic, one id"),
/// with its severity, message format, category and help link. Shared by the lint, the Roslyn generator (which maps it
/// to a cached Roslyn DiagnosticDescriptor) and vmxgen.</summary>
public sealed class DiagnosticRule
{
    private static readonly Regex Placeholder = new(@"\{(\d+)\}", RegexOptions.CultureInvariant);

    public DiagnosticRule(string id, string title, string messageFormat, string category, string description,
        DiagnosticLevel severity = DiagnosticLevel.Error)
    {
        Id = id;
        Title = title;
        MessageFormat = messageFormat;
        Category = category;
        Description = description;
        Severity = severity;
        ArgumentCount = Placeholder.Matches(messageFormat).Cast<Match>().Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1)
            .DefaultIfEmpty(0).Max();
    }

    public string Id { get; }
    public string Title { get; }
    /// <summary>A composite format ({0}, {1}, ...) filled with the diagnostic's arguments.</summary>
    public string MessageFormat { get; }
    public string Category { get; }
    /// <summary>What the diagnostic means and how to fix it: the rules page and the IDE show it.</summary>
    public string Description { get; }
    public DiagnosticLevel Severity { get; }
    public int ArgumentCount { get; }
    public string HelpLink => DiagnosticLinks.For(Id);

    /// <summary>"error" or "warning", as MSBuild's canonical form writes the severity.</summary>
    public string SeverityWord => Severity == DiagnosticLevel.Warning ? "warning" : "error";

    /// <summary>The message for <paramref name="arguments"/>. Never throws: a call site passing too few arguments
    /// still gets its arguments shown (and the per-rule tests catch it).</summary>
    public string Format(IReadOnlyList<string> arguments)
    {
        if (arguments.Count >= ArgumentCount)
            return string.Format(CultureInfo.InvariantCulture, MessageFormat, arguments.Cast<object>().ToArray());
        return MessageFormat + " [" + string.Join(", ", arguments) + "]";
    }

    public override string ToString() => Id;

    public static readonly DiagnosticRule MalformedYaml = new("VMX0001", "Malformed YAML",
        "malformed YAML: {0}", DiagnosticCategory.Syntax,
        "The file is not well-formed YAML (or holds other than one document); nothing in it was loaded.");
    public static readonly DiagnosticRule UnknownKey = new("VMX0002", "Unknown key",
        "unknown key '{0}' in {1}; {2}", DiagnosticCategory.Syntax,
        "A mapping holds a key the spec format does not define (often a typo: the message suggests the nearest key).");
    public static readonly DiagnosticRule MissingKey = new("VMX0003", "Missing required key",
        "{0} is missing required key '{1}'", DiagnosticCategory.Syntax,
        "An entry lacks a key that every entry of its kind must state.");
    public static readonly DiagnosticRule WrongValueType = new("VMX0004", "Wrong value type",
        "'{0}' must be {1}, not '{2}'", DiagnosticCategory.Syntax,
        "A key's value is not of the kind the key takes (a hex number, a decimal index, a width, a list, a control bit...).");
    public static readonly DiagnosticRule DuplicateName = new("VMX0005", "Duplicate identifier",
        "{0} '{1}' is already defined in {2} at {3}", DiagnosticCategory.Consistency,
        "Two entries of one kind share an id (or two MSRs a name), so generated names would collide.");
    public static readonly DiagnosticRule DuplicateEncoding = new("VMX0006", "Duplicate VMCS encoding",
        "encoding {0} of '{1}' is already used by '{2}' at {3}", DiagnosticCategory.Encoding,
        "Two VMCS fields state the same encoding.");
    public static readonly DiagnosticRule EncodingWidthMismatch = new("VMX0007", "Encoding disagrees with width",
        "encoding {0} of '{1}' says {2} (bits {3} = {4}) but its group '{5}' is {6}", DiagnosticCategory.Encoding,
        "Bits 14:13 of a VMCS encoding give the field's width (0 16-bit, 1 64-bit, 2 32-bit, 3 natural-width).");
    public static readonly DiagnosticRule EncodingTypeMismatch = new("VMX0008", "Encoding disagrees with type",
        "encoding {0} of '{1}' says {2} (bits {3} = {4}) but its group '{5}' is {6}", DiagnosticCategory.Encoding,
        "Bits 11:10 of a VMCS encoding give the field's type (0 control, 1 exit-information, 2 guest-state, 3 host-state).");
    public static readonly DiagnosticRule EncodingIndexMismatch = new("VMX0009", "Encoding disagrees with index",
        "encoding {0} of '{1}' has index {2} (bits {3}) but the field states index {4}", DiagnosticCategory.Encoding,
        "Bits 9:1 of a VMCS encoding are the field's index.");
    public static readonly DiagnosticRule EncodingHighAccess = new("VMX0010", "High access listed",
        "encoding {0} of '{1}' has the access bit {2} set: list the full encoding {3}; the high encoding is derived", DiagnosticCategory.Encoding,
        "Bit 0 of a VMCS encoding selects high access to a 64-bit field; only the full encoding is listed and the high one is derived.");
    public static readonly DiagnosticRule EncodingReservedBit12 = new("VMX0011", "Reserved encoding bit 12 set",
        "encoding {0} of '{1}' sets reserved bit {2}", DiagnosticCategory.Encoding,
        "Bit 12 of every VMCS encoding is reserved and must be 0.");
    public static readonly DiagnosticRule EncodingReservedHighBits = new("VMX0012", "Reserved encoding bits 31:15 set",
        "encoding {0} of '{1}' sets reserved bits {2}", DiagnosticCategory.Encoding,
        "Bits 31:15 of every VMCS encoding are reserved and must be 0.");
    public static readonly DiagnosticRule UnresolvedReference = new("VMX0013", "Unresolved reference",
        "{0} names {1} '{2}', which is not defined", DiagnosticCategory.References,
        "An entry refers to a control bit, VMCS field, layout, enumeration or MSR that the spec does not define.");
    public static readonly DiagnosticRule OverlappingBits = new("VMX0014", "Overlapping bits",
        "bit {0} of {1} is both '{2}' and '{3}'", DiagnosticCategory.Consistency,
        "Two bits or bit ranges of one register or control field share a position.");
    public static readonly DiagnosticRule BitBeyondWidth = new("VMX0015", "Bit beyond register width",
        "'{0}' (bits {1}) lies beyond the {2}-bit {3}", DiagnosticCategory.Consistency,
        "A bit or range lies outside its register or control field.");
    public static readonly DiagnosticRule DuplicateNumber = new("VMX0016", "Duplicate number",
        "{0} is both '{1}' and '{2}'", DiagnosticCategory.Consistency,
        "Two entries of one list share their number: two exit reasons, VM-instruction errors, MSRs (by address) or values " +
        "of an enumeration, or two qualification layouts of one exit reason for the same vector.");
    public static readonly DiagnosticRule InvalidIdentifier = new("VMX0017", "Invalid identifier",
        "'{0}' is not a valid id: ids are lower snake_case ([a-z][a-z0-9_]*)", DiagnosticCategory.Syntax,
        "Ids are lower snake_case ([a-z][a-z0-9_]*), the stable root of every generated name.");
    public static readonly DiagnosticRule ValueDoesNotFit = new("VMX0018", "Value does not fit its field",
        "{0} does not fit {1}", DiagnosticCategory.Consistency,
        "A number is larger than the bits that hold it: an encoding or MSR address beyond 32 bits, an exit reason or error " +
        "number beyond 16, an index beyond 9, a vector above 255, an enumeration value wider than the layout field using it.");
    public static readonly DiagnosticRule InternalError = new("VMX0019", "Internal error while reading the spec",
        "internal error while {0} the spec: {1}", DiagnosticCategory.Generator,
        "vmxgen itself failed (an exception) while parsing or linking the spec; the message names the exception. Please report it.");
    public static readonly DiagnosticRule NoSpecFiles = new("VMX0020", "No spec files",
        "no spec files: add {0} as AdditionalFiles (this project sets VmxSpecRequired)", DiagnosticCategory.Generator,
        "The project sets VmxSpecRequired but passes no spec/**/*.yaml as AdditionalFiles, so nothing would be generated.");
    public static readonly DiagnosticRule RequiredEntry = new("VMX0021", "Entry the generated code relies on is missing",
        "{0} is not defined; it is needed by {1}", DiagnosticCategory.Contract,
        "The emitters look some entries up by id: layout exit_reason's fields basic_exit_reason and vm_entry_failure for the " +
        "exit decoder; with VMCS fields, enumerations vmcs_field_width and vmcs_field_type and layout vmcs_component_encoding " +
        "(fields access_type, index, type, width) for the width/type codes. One of them is not defined.");
    public static readonly DiagnosticRule EncodingLayoutMismatch = new("VMX0022", "Encoding layout disagrees with the encoding rules",
        "{0}: the spec says {1}, the encoding rules say {2}", DiagnosticCategory.Encoding,
        "Layout vmcs_component_encoding and enumerations vmcs_field_width/vmcs_field_type must state the encoding the lint enforces " +
        "(SDM \"Field Encoding in VMCS\": bit 0 access type, bits 9:1 index, bits 11:10 type, bit 12 reserved, bits 14:13 width, " +
        "bits 31:15 reserved; widths 0 16-bit, 1 64-bit, 2 32-bit, 3 natural; types 0 control, 1 exit-information, 2 guest-state, 3 host-state).");

    // VMX0040-VMX0049: meanings split off ids that had several (VMX0004, VMX0021).
    public static readonly DiagnosticRule ExclusiveKeys = new("VMX0040", "Keys that exclude each other",
        "{0} takes either '{1}' or '{2}', not both", DiagnosticCategory.Syntax,
        "An entry gives two keys of which it may have only one (an exit reason's qualification and qualification-by-vector). " +
        "Until this id existed it was reported as VMX0004.");
    public static readonly DiagnosticRule NotAMapping = new("VMX0041", "Entry is not a mapping",
        "expected a mapping ({0}) here, not '{1}'", DiagnosticCategory.Syntax,
        "Where the format expects an entry (a key: value mapping) the file has a scalar or a list. Until this id existed it " +
        "was reported as VMX0004.");
    public static readonly DiagnosticRule MisshapenRequiredEntry = new("VMX0042", "Entry the generated code relies on is misshapen",
        "{0} must be {1}, not {2}", DiagnosticCategory.Contract,
        "An entry the emitters look up by id exists but has a shape they cannot use: exit_reason.basic_exit_reason must be a " +
        "2 to 16-bit field and exit_reason.vm_entry_failure a single bit, neither with an enumeration. Until this id existed " +
        "it was reported as VMX0021.");

    // VMX0023-VMX0025: bounded parsing (Loading/YamlGuard.cs). Their messages say the whole story, so the format is one argument.
    public static readonly DiagnosticRule YamlLimit = new("VMX0023", "YAML beyond the loader's limits",
        "{0}", DiagnosticCategory.Syntax,
        "A spec file is larger than 1 MiB, nests lists and mappings more than 64 deep, or expands (aliases counted in full) to more " +
        "than 200000 values; the limits keep every input from exhausting the stack or the time of the tool and the compiler.");
    public static readonly DiagnosticRule UnsupportedYaml = new("VMX0024", "YAML construct a spec cannot use",
        "{0}", DiagnosticCategory.Syntax,
        "A mapping key is a list, a mapping or an alias, or an alias refers to the node that contains it; spec keys are plain words " +
        "and spec values are finite trees.");
    public static readonly DiagnosticRule InvalidCharacter = new("VMX0025", "Character a spec file cannot hold",
        "{0}", DiagnosticCategory.Syntax,
        "The file holds bytes that are not UTF-8 (read as U+FFFD), a control character YAML forbids (YAML 1.2 section 5.1), or a " +
        "line separator (U+0085, U+2028, U+2029) that YAML 1.2 reads as text but YamlDotNet and the compiler count as a line break.");
    public static readonly DiagnosticRule QuotedScalar = new("VMX0026", "Quoted value where a number or boolean is expected",
        "'{0}' must be {1}, not the quoted text '{2}' (write it without quotes)", DiagnosticCategory.Syntax,
        "A quoted scalar is text in YAML 1.2 and in the JSON Schema, never a number or a boolean: default1: \"false\" is the text " +
        "false. Write the value without quotes.");

    // VMX0060-VMX0069: the naming contract (Lint/NameLint.cs).
    public static readonly DiagnosticRule NameCollision = new("VMX0060", "Generated names collide",
        "{0} would generate {1} name '{2}' ({3}) in {4}, {5}", DiagnosticCategory.Consistency,
        "Two entries, or an entry and one of the generator's own names, would generate the same C or C# identifier in one scope " +
        "(ids differing only in case or separators, such as pdpte_0 and pdpte0, or a layout field named reserved or value), so " +
        "the generated code would not compile. Rename one of them.");
    public static readonly DiagnosticRule InvalidMsrName = new("VMX0061", "Invalid MSR name",
        "'{0}' is not a valid MSR name: MSR names are upper snake_case ([A-Z][A-Z0-9_]*), as the SDM writes them", DiagnosticCategory.Syntax,
        "An MSR's name (and a control field's capability-msr naming one) is written as the SDM writes it, upper snake_case " +
        "(IA32_VMX_BASIC): it becomes the C macro VMX_MSR_<name>, so other characters would not compile.");

    /// <summary>Every rule about the spec (VMX0xxx), in id order; the tool's own are ToolDiagnostics.All in Vmx.Cli.</summary>
    // VMX0100-VMX0109: CPU facts (spec/cpuid, Lint/CpuidLint.cs).
    public static readonly DiagnosticRule CpuidIdMismatch = new("VMX0100", "CPUID id disagrees with its bits",
        "CPUID id '{0}' does not match its leaf, subleaf and register: it must start with '{1}'", DiagnosticCategory.Consistency,
        "A CPUID entry's id (cpuid.<leaf>[.<subleaf>].<register>.<name>) names another leaf, subleaf or register than the entry states.");
    public static readonly DiagnosticRule InvalidCpuidId = new("VMX0101", "Invalid CPUID id",
        "'{0}' is not a valid CPUID id: write cpuid.<leaf in hex>[.<subleaf>].<register>.<name>, e.g. cpuid.1.ecx.vmx", DiagnosticCategory.Syntax,
        "A CPUID entry's id is cpuid, the leaf in lower-case hex, the subleaf if the leaf has them, the register and a lower snake_case name, joined by dots.");

    // VMX0110-VMX0119: the VM-entry checks and their language (spec/checks, Checks/CheckCompiler.cs).
    public static readonly DiagnosticRule CheckSyntax = new("VMX0110", "Check-language syntax error",
        "check '{0}': {1}", DiagnosticCategory.Syntax,
        "A condition, message value or vector of a VM-entry check is not an expression of the check language (spec/checks/README.md): " +
        "an unknown character, an unclosed parenthesis or brace, chained comparisons, a number wider than 64 bits, '$' without 'each'.");
    public static readonly DiagnosticRule CheckUnknownName = new("VMX0111", "Check names something the spec does not define",
        "check '{0}': {1}", DiagnosticCategory.References,
        "A VM-entry check names a VMCS field, control bit, layout field, MSR, CPU fact, enumeration value or function that does not exist.");
    public static readonly DiagnosticRule CheckTypeMismatch = new("VMX0112", "Check-language type or width error",
        "check '{0}': {1}", DiagnosticCategory.Consistency,
        "An integer where a boolean is needed or the reverse, a constant wider than the value it is compared with (the comparison never " +
        "changes), a layout field beyond its value's width, a function called with the wrong arguments, or a message with too many values.");
    public static readonly DiagnosticRule CheckInputs = new("VMX0113", "Check reads an input it does not declare, or declares one it does not read",
        "check '{0}': {1}", DiagnosticCategory.Consistency,
        "Every VMCS field, control field, capability MSR, CPU fact and 'memory' a check reads is listed in its 'inputs', and every input " +
        "listed is read: the inputs are what decides whether a dump lacking some fields can still be judged.");
    public static readonly DiagnosticRule CheckVectorTarget = new("VMX0114", "Vector assigns something that cannot be set",
        "check '{0}': {1}", DiagnosticCategory.Syntax,
        "A pass or fail vector's key must be a VMCS field, a layout field of one, a control bit, a control field, a capability MSR or a " +
        "layout field of one, a CPU fact, or memN(address) with a literal address.");

    // VMX0130-VMX0139: user overlays (a consumer's spec on top of the bundled one).
    public static readonly DiagnosticRule OverlayWithoutCSharp = new("VMX0130", "Overlay entry has no C# beside Vmx.Runtime",
        "{0} '{1}' gets C headers but no C#: this project references Vmx.Runtime, whose {2} an overlay cannot extend", DiagnosticCategory.Generator,
        "In a project that references Vmx.Runtime the generator emits C# only for overlay entries it can join to the runtime's types " +
        "(VMCS fields, bits of control fields, layouts, enumerations, MSRs, exit reasons, errors). A whole new control field, a CPU fact or a " +
        "VM-entry check of the overlay is in the C headers (vmxgen generate c --overlay) but not in the runtime's catalogs or validator.",
        DiagnosticLevel.Warning);

    public static IReadOnlyList<DiagnosticRule> All { get; } = new[]
    {
        MalformedYaml, UnknownKey, MissingKey, WrongValueType, DuplicateName, DuplicateEncoding, EncodingWidthMismatch,
        EncodingTypeMismatch, EncodingIndexMismatch, EncodingHighAccess, EncodingReservedBit12, EncodingReservedHighBits,
        UnresolvedReference, OverlappingBits, BitBeyondWidth, DuplicateNumber, InvalidIdentifier, ValueDoesNotFit,
        InternalError, NoSpecFiles, RequiredEntry, EncodingLayoutMismatch, YamlLimit, UnsupportedYaml, InvalidCharacter, QuotedScalar,
        ExclusiveKeys, NotAMapping, MisshapenRequiredEntry, NameCollision, InvalidMsrName, CpuidIdMismatch, InvalidCpuidId,
        CheckSyntax, CheckUnknownName, CheckTypeMismatch, CheckInputs, CheckVectorTarget, OverlayWithoutCSharp,
    };

    /// <summary>Rules the Roslyn generator reports about its input as a whole, never the lint about a YAML text: their
    /// passing and failing tests are in tests/Vmx.Generator.Tests (GeneratorDiagnosticTests), not RuleCases.</summary>
    public static IReadOnlyList<DiagnosticRule> GeneratorOnly { get; } = new[] { InternalError, NoSpecFiles, OverlayWithoutCSharp };
}
