using System.Collections.Generic;

namespace Vmx.Spec.Lint;

/// <summary>A lint rule: one stable id, one kind of problem (CommunityToolkit's "one diagnostic, one id").</summary>
public sealed record DiagnosticRule(string Id, string Title, string Explanation)
{
    public static readonly DiagnosticRule MalformedYaml = new("VMX0001", "Malformed YAML",
        "The file is not well-formed YAML; nothing in it was loaded.");
    public static readonly DiagnosticRule UnknownKey = new("VMX0002", "Unknown key",
        "A mapping holds a key the spec format does not define (often a typo: the message suggests the nearest key).");
    public static readonly DiagnosticRule MissingKey = new("VMX0003", "Missing required key",
        "An entry lacks a key that every entry of its kind must state.");
    public static readonly DiagnosticRule WrongValueType = new("VMX0004", "Wrong value type",
        "A value is not of the kind its key takes (a hex number, a decimal index, a width, a list...), or keys that exclude each other are " +
        "both given (an exit reason's qualification and qualification-by-vector).");
    public static readonly DiagnosticRule DuplicateName = new("VMX0005", "Duplicate identifier",
        "Two entries of one kind share an id, so generated names would collide.");
    public static readonly DiagnosticRule DuplicateEncoding = new("VMX0006", "Duplicate VMCS encoding",
        "Two VMCS fields state the same encoding.");
    public static readonly DiagnosticRule EncodingWidthMismatch = new("VMX0007", "Encoding disagrees with width",
        "Bits 14:13 of a VMCS encoding give the field's width (0 16-bit, 1 64-bit, 2 32-bit, 3 natural-width).");
    public static readonly DiagnosticRule EncodingTypeMismatch = new("VMX0008", "Encoding disagrees with type",
        "Bits 11:10 of a VMCS encoding give the field's type (0 control, 1 exit-information, 2 guest-state, 3 host-state).");
    public static readonly DiagnosticRule EncodingIndexMismatch = new("VMX0009", "Encoding disagrees with index",
        "Bits 9:1 of a VMCS encoding are the field's index.");
    public static readonly DiagnosticRule EncodingHighAccess = new("VMX0010", "High access listed",
        "Bit 0 of a VMCS encoding selects high access to a 64-bit field; only the full encoding is listed and the high one is derived.");
    public static readonly DiagnosticRule EncodingReservedBit12 = new("VMX0011", "Reserved encoding bit 12 set",
        "Bit 12 of every VMCS encoding is reserved and must be 0.");
    public static readonly DiagnosticRule EncodingReservedHighBits = new("VMX0012", "Reserved encoding bits 31:15 set",
        "Bits 31:15 of every VMCS encoding are reserved and must be 0.");
    public static readonly DiagnosticRule UnresolvedReference = new("VMX0013", "Unresolved reference",
        "An entry refers to a control bit, VMCS field, layout, enumeration or MSR that the spec does not define.");
    public static readonly DiagnosticRule OverlappingBits = new("VMX0014", "Overlapping bits",
        "Two bits or bit ranges of one register or control field share a position.");
    public static readonly DiagnosticRule BitBeyondWidth = new("VMX0015", "Bit beyond register width",
        "A bit or range lies outside its register or control field.");
    public static readonly DiagnosticRule DuplicateNumber = new("VMX0016", "Duplicate number",
        "Two exit reasons, VM-instruction errors, MSRs or enumeration values share a number, or an exit reason lists a vector twice in " +
        "qualification-by-vector.");
    public static readonly DiagnosticRule InvalidIdentifier = new("VMX0017", "Invalid identifier",
        "Ids are lower snake_case ([a-z][a-z0-9_]*), the stable root of every generated name.");
    public static readonly DiagnosticRule ValueDoesNotFit = new("VMX0018", "Value does not fit its field",
        "A number is larger than the bits that hold it (an index beyond 9 bits, an enumeration value wider than the field using it, " +
        "a qualification-by-vector vector above 255).");
    public static readonly DiagnosticRule InternalError = new("VMX0019", "Internal error while reading the spec",
        "vmxgen itself failed (an exception) while parsing or linking the spec; the message names the exception. Please report it.");
    public static readonly DiagnosticRule NoSpecFiles = new("VMX0020", "No spec files",
        "The project sets VmxSpecRequired but passes no spec/**/*.yaml as AdditionalFiles, so nothing would be generated.");
    public static readonly DiagnosticRule RequiredEntry = new("VMX0021", "Entry the generated code relies on is missing or misshapen",
        "The emitters look some entries up by id: layout exit_reason's basic_exit_reason (2-16 bits) and vm_entry_failure (1 bit) " +
        "for the exit decoder; with VMCS fields, enumerations vmcs_field_width and vmcs_field_type and layout " +
        "vmcs_component_encoding (fields access_type, index, type, width) for the width/type codes.");
    public static readonly DiagnosticRule EncodingLayoutMismatch = new("VMX0022", "Encoding layout disagrees with the encoding rules",
        "Layout vmcs_component_encoding and enumerations vmcs_field_width/vmcs_field_type must state the encoding the lint enforces " +
        "(SDM \"Field Encoding in VMCS\": bit 0 access type, bits 9:1 index, bits 11:10 type, bit 12 reserved, bits 14:13 width, " +
        "bits 31:15 reserved; widths 0 16-bit, 1 64-bit, 2 32-bit, 3 natural; types 0 control, 1 exit-information, 2 guest-state, 3 host-state).");

    public static readonly DiagnosticRule NameCollision = new("VMX0060", "Generated names collide",
        "Two entries, or an entry and one of the generator's own names, would generate the same C or C# identifier in one scope " +
        "(ids differing only in case or separators, such as pdpte_0 and pdpte0, or a layout field named reserved or value).");

    public static readonly DiagnosticRule CpuidIdMismatch = new("VMX0100", "CPUID id disagrees with its bits",
        "A CPUID entry's id (cpuid.<leaf>[.<subleaf>].<register>.<name>) names another leaf, subleaf or register than the entry states.");

    public static IReadOnlyList<DiagnosticRule> All { get; } = new[]
    {
        MalformedYaml, UnknownKey, MissingKey, WrongValueType, DuplicateName, DuplicateEncoding, EncodingWidthMismatch,
        EncodingTypeMismatch, EncodingIndexMismatch, EncodingHighAccess, EncodingReservedBit12, EncodingReservedHighBits,
        UnresolvedReference, OverlappingBits, BitBeyondWidth, DuplicateNumber, InvalidIdentifier, ValueDoesNotFit,
        InternalError, NoSpecFiles, RequiredEntry, EncodingLayoutMismatch, NameCollision, CpuidIdMismatch,
    };

    /// <summary>Rules the Roslyn generator reports about its input as a whole, never the lint about a YAML text: their
    /// passing and failing tests are in tests/Vmx.Generator.Tests (GeneratorDiagnosticTests), not RuleCases.</summary>
    public static IReadOnlyList<DiagnosticRule> GeneratorOnly { get; } = new[] { InternalError, NoSpecFiles };
}
