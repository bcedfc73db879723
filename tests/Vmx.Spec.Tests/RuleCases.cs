using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>One failing case of a lint rule: a valid base file with one edit, the ids of every diagnostic the
/// edit must cause (in order), and where and what the one under test says.</summary>
public sealed record RuleCase(string Name, string Base, string Find, string Replace, string[] Ids, int Line, int Column, string Message)
{
    public string Rule => Ids[0];
    public string Bad => TestSpec.ReplaceOnce(Base, Find, Replace);
    public override string ToString() => Name;
}

internal static class RuleCases
{
    private static RuleCase C(string name, string @base, string find, string replace, string ids, int line, int column, string message) =>
        new(name, @base, find, replace, ids.Split(' '), line, column, message);

    public static readonly RuleCase[] All =
    {
        // VMX0001: not YAML at all. The position is where the scanner started the token it could not finish.
        C("unclosed_quote", BaseYaml.Vmcs16, "\"325462-086US\"", "\"325462-086US", "VMX0001", 1, 15, "malformed YAML"),
        C("duplicate_top_level_key", BaseYaml.Tables, "instruction-errors:", "exit-reasons:", "VMX0001", 18, 1,
            "malformed YAML: Duplicate key exit-reasons"),

        // VMX0002: typos get a suggestion, unrelated keys the list of keys.
        C("unknown_key_typo", BaseYaml.Vmcs16, "        encoding: 0x0800", "        encodng: 0x0800", "VMX0002 VMX0003", 10, 9,
            "unknown key 'encodng' in a VMCS field; did you mean 'encoding'?"),
        C("unknown_key_unrelated", BaseYaml.Vmcs16, "        index: 0\n", "        index: 0\n        colour: red\n", "VMX0002", 12, 9,
            "unknown key 'colour' in a VMCS field; a VMCS field takes: id, title, encoding, index, exists, layout, description"),
        C("unknown_file_key", BaseYaml.Tables, "sdm-revision:", "sdm-revison:", "VMX0002 VMX0003", 1, 1,
            "unknown key 'sdm-revison' in a spec file; did you mean 'sdm-revision'?"),

        // VMX0003: reported at the entry that lacks the key.
        C("missing_field_title", BaseYaml.Vmcs16, "        title: Guest ES selector\n", "", "VMX0003", 8, 9,
            "a VMCS field is missing required key 'title'"),
        C("missing_exit_title", BaseYaml.Tables, "    title: Triple fault\n", "", "VMX0003", 15, 5,
            "an exit reason is missing required key 'title'"),

        // VMX0004: reported at the value.
        // VMX0026: a quoted scalar where a number or boolean is expected.
        C("quoted_boolean", BaseYaml.Controls, "        bit: 0\n        default1: false", "        bit: 0\n        default1: \"false\"", "VMX0026", 48, 19,
            "'default1' must be true or false, not the quoted text 'false' (write it without quotes)"),
        C("quoted_number", BaseYaml.Vmcs16, "        index: 0", "        index: \"0\"", "VMX0026", 11, 16,
            "'index' must be a number, not the quoted text '0'"),
        // VMX0004: reported at the value.
        C("null_title", BaseYaml.Vmcs16, "title: Guest ES selector", "title: ~", "VMX0004", 9, 16, "'title' must be a text, not 'null'"),
        C("index_not_a_number", BaseYaml.Vmcs16, "        index: 0", "        index: zero", "VMX0004", 11, 16,
            "'index' must be a number, not 'zero'"),
        C("encoding_in_decimal", BaseYaml.Vmcs16, "encoding: 0x0800", "encoding: 2048", "VMX0004", 10, 19,
            "'encoding' must be a hex number such as 0x0800, not '2048'"),
        C("unknown_width", BaseYaml.Vmcs16, "    width: 16", "    width: 12", "VMX0004", 5, 12,
            "'width' must be one of 16, 32, 64, natural, not '12'"),
        C("exists_not_a_reference", BaseYaml.Vmcs16, "        index: 0\n", "        index: 0\n        exists: proc2 enable_ept\n", "VMX0004", 12, 17,
            "'exists' must be 'always', 'seam' or control bits joined by '|'"),
        C("default1_not_bool", BaseYaml.Controls, "default1: false\n        description: Non-maskable",
            "default1: no\n        description: Non-maskable", "VMX0004", 53, 19, "'default1' must be true or false, not 'no'"),
        C("bit_range_reversed", BaseYaml.Layouts, "bits: 30:0", "bits: 0:30", "VMX0004", 21, 15,
            "'bits' must be a bit (5) or a range msb:lsb with msb >= lsb (63:32), not '0:30'"),
        C("msr_address_in_decimal", BaseYaml.Tables, "    address: 0x480", "    address: 1152", "VMX0004", 5, 14,
            "'address' must be a hex number such as 0x0800, not '1152'"),
        C("exit_qualification_and_by_vector", BaseYaml.ExitByVector, "    qualification-by-vector:\n",
            "    qualification: exit_qualification_debug_exception\n    qualification-by-vector:\n", "VMX0040", 20, 5,
            "an exit reason takes either 'qualification' or 'qualification-by-vector', not both"),

        // VMX0041: where an entry belongs, a scalar or list; reported at it.
        C("msr_entry_is_a_scalar", BaseYaml.Tables, "  - id: ia32_vmx_pinbased_ctls\n    name: IA32_VMX_PINBASED_CTLS\n    address: 0x481\n    title: Capability Reporting Register of Pin-Based VM-Execution Controls\n",
            "  - ia32_vmx_pinbased_ctls\n", "VMX0041", 7, 5, "expected a mapping (an MSR) here, not 'ia32_vmx_pinbased_ctls'"),

        // VMX0005: reported at the later entry, naming the earlier one's position.
        C("duplicate_field_id", BaseYaml.Vmcs16, "      - id: guest_cs_selector", "      - id: guest_es_selector", "VMX0005", 13, 9,
            "VMCS field id 'guest_es_selector' is already defined in the spec at spec/test.yaml(8,9)"),
        C("duplicate_control_bit_id", BaseYaml.Controls, "      - id: nmi_exiting", "      - id: external_interrupt_exiting", "VMX0005", 50, 9,
            "bit id 'external_interrupt_exiting' is already defined in control field 'pin' at spec/test.yaml(45,9)"),
        C("duplicate_layout_field_id", BaseYaml.Layouts, "      - id: region_size", "      - id: revision_identifier", "VMX0005", 22, 9,
            "field id 'revision_identifier' is already defined in layout 'ia32_vmx_basic' at spec/test.yaml(19,9)"),
        C("duplicate_enum_value_id", BaseYaml.Layouts, "      - id: write_back", "      - id: uncacheable", "VMX0005", 10, 9,
            "value id 'uncacheable' is already defined in enumeration 'memory_type' at spec/test.yaml(7,9)"),
        C("duplicate_msr_name", BaseYaml.Tables, "    name: IA32_VMX_PINBASED_CTLS", "    name: IA32_VMX_BASIC", "VMX0005", 7, 5,
            "MSR name 'IA32_VMX_BASIC' is already defined in the spec at spec/test.yaml(3,5)"),
        C("duplicate_exit_id", BaseYaml.Tables, "  - id: triple_fault", "  - id: exception_or_nmi", "VMX0005", 15, 5,
            "exit reason id 'exception_or_nmi' is already defined in the spec at spec/test.yaml(12,5)"),

        // VMX0006..VMX0012: the encoding layout of SDM "Field Encoding in VMCS".
        C("duplicate_encoding", BaseYaml.Vmcs16, "        encoding: 0x0802\n        index: 1", "        encoding: 0x0800\n        index: 0", "VMX0006", 13, 9,
            "encoding 0x0800 of 'guest_cs_selector' is already used by 'guest_es_selector' at spec/test.yaml(8,9)"),
        C("encoding_says_64_bit", BaseYaml.Vmcs16, "encoding: 0x0802", "encoding: 0x2802", "VMX0007", 13, 9,
            "encoding 0x2802 of 'guest_cs_selector' says 64-bit (bits 14:13 = 1) but its group '16-bit guest-state fields' is 16-bit"),
        C("encoding_says_host_state", BaseYaml.Vmcs16, "encoding: 0x0802", "encoding: 0x0C02", "VMX0008", 13, 9,
            "encoding 0x0C02 of 'guest_cs_selector' says host-state (bits 11:10 = 3) but its group '16-bit guest-state fields' is guest-state"),
        C("encoding_index_differs", BaseYaml.Vmcs16, "        index: 1", "        index: 2", "VMX0009", 13, 9,
            "encoding 0x0802 of 'guest_cs_selector' has index 1 (bits 9:1) but the field states index 2"),
        C("high_encoding_listed", BaseYaml.Vmcs64, "encoding: 0x2800", "encoding: 0x2801", "VMX0010", 8, 9,
            "encoding 0x2801 of 'vmcs_link_pointer' has the access bit 0 set: list the full encoding 0x2800"),
        C("reserved_bit_12", BaseYaml.Vmcs16, "encoding: 0x0802", "encoding: 0x1802", "VMX0011", 13, 9,
            "encoding 0x1802 of 'guest_cs_selector' sets reserved bit 12"),
        C("reserved_bits_31_15", BaseYaml.Vmcs16, "encoding: 0x0802", "encoding: 0x8802", "VMX0012", 13, 9,
            "encoding 0x8802 of 'guest_cs_selector' sets reserved bits 31:15"),

        // VMX0013: references to things the spec does not define.
        C("exists_unknown_control", BaseYaml.Vmcs16, "        index: 0\n", "        index: 0\n        exists: proc2.enable_ept\n", "VMX0013", 8, 9,
            "'exists' of VMCS field 'guest_es_selector' names control bit 'proc2.enable_ept', which is not defined"),
        C("exists_unknown_bit", BaseYaml.Controls, "exists: entry.load_ia32_pat", "exists: entry.load_ia32_efer", "VMX0013", 23, 9,
            "'exists' of VMCS field 'guest_ia32_pat' names control bit 'entry.load_ia32_efer', which is not defined"),
        C("control_unknown_msr", BaseYaml.Controls, "capability-msr: IA32_VMX_ENTRY_CTLS", "capability-msr: IA32_VMX_ENTRY_CTLZ", "VMX0013", 55, 5,
            "control field 'entry' names capability MSR 'IA32_VMX_ENTRY_CTLZ', which is not defined"),
        C("control_enabled_by_unknown_bit", BaseYaml.Controls, "    capability-msr: IA32_VMX_ENTRY_CTLS\n",
            "    capability-msr: IA32_VMX_ENTRY_CTLS\n    enabled-by: pin.nmi_exit\n", "VMX0013", 55, 5,
            "'enabled-by' of control field 'entry' names control bit 'pin.nmi_exit', which is not defined"),
        C("control_enabled_by_not_a_bit", BaseYaml.Controls, "    capability-msr: IA32_VMX_ENTRY_CTLS\n",
            "    capability-msr: IA32_VMX_ENTRY_CTLS\n    enabled-by: pin nmi_exiting\n", "VMX0004", 60, 17,
            "'enabled-by' must be one control bit such as 'proc.activate_secondary_controls', not 'pin nmi_exiting'"),
        C("control_unknown_vmcs_field", BaseYaml.Controls, "    field: vm_entry_controls", "    field: vm_entry_control", "VMX0013", 55, 5,
            "control field 'entry' names VMCS field 'vm_entry_control', which is not defined"),
        C("layout_unknown_enum", BaseYaml.Layouts, "        enum: memory_type", "        enum: memory_types", "VMX0013", 25, 9,
            "field 'ia32_vmx_basic.memory_type' names enumeration 'memory_types', which is not defined"),
        C("exit_unknown_qualification", BaseYaml.Tables, "    title: Triple fault\n", "    title: Triple fault\n    qualification: exit_qualification_triple_fault\n",
            "VMX0013", 15, 5, "exit reason 'triple_fault' names qualification layout 'exit_qualification_triple_fault', which is not defined"),
        C("exit_unknown_qualification_for_vector", BaseYaml.ExitByVector, "        layout: exit_qualification_page_fault",
            "        layout: exit_qualification_page_faults", "VMX0013", 26, 9,
            "vector 14 of exit reason 'exception_or_nmi' names qualification layout 'exit_qualification_page_faults', which is not defined"),

        // VMX0014 / VMX0015: bits of registers and control fields.
        C("control_bits_overlap", BaseYaml.Controls, "        bit: 3", "        bit: 0", "VMX0014", 50, 9,
            "bit 0 of control field 'pin' is both 'external_interrupt_exiting' and 'nmi_exiting'"),
        C("layout_fields_overlap", BaseYaml.Layouts, "bits: 44:32", "bits: 50:32", "VMX0014", 25, 9,
            "bit 50 of layout 'ia32_vmx_basic' is both 'region_size' and 'memory_type'"),
        C("control_bit_beyond_field", BaseYaml.Controls, "        bit: 3", "        bit: 32", "VMX0015", 50, 9,
            "'nmi_exiting' (bits 32) lies beyond the 32-bit VMCS field 'pin_based_vm_execution_controls'"),
        C("layout_field_beyond_width", BaseYaml.Layouts, "bits: 53:50", "bits: 64:50", "VMX0015", 25, 9,
            "'memory_type' (bits 64:50) lies beyond the 64-bit layout 'ia32_vmx_basic'"),

        // VMX0016: numbers shared by two entries.
        C("duplicate_exit_number", BaseYaml.Tables, "    number: 2\n    title: Triple fault", "    number: 0\n    title: Triple fault", "VMX0016", 15, 5,
            "exit reason 0 is both 'exception_or_nmi' and 'triple_fault'"),
        C("duplicate_error_number", BaseYaml.Tables, "    number: 2\n    title: VMCLEAR", "    number: 1\n    title: VMCLEAR", "VMX0016", 22, 5,
            "VM-instruction error 1 is both 'vmcall_in_vmx_root_operation' and 'vmclear_invalid_physical_address'"),
        C("duplicate_msr_address", BaseYaml.Tables, "    address: 0x481", "    address: 0x480", "VMX0016", 7, 5,
            "MSR address 0x480 is both 'IA32_VMX_BASIC' and 'IA32_VMX_PINBASED_CTLS'"),
        C("duplicate_enum_value", BaseYaml.Layouts, "        value: 6", "        value: 0", "VMX0016", 10, 9,
            "value 0 of enumeration 'memory_type' is both 'uncacheable' and 'write_back'"),
        C("duplicate_qualification_vector", BaseYaml.ExitByVector, "      - vector: 14", "      - vector: 1", "VMX0016", 26, 9,
            "the qualification layout for vector 1 of exit reason 'exception_or_nmi' is both 'exit_qualification_debug_exception' and 'exit_qualification_page_fault'"),

        // VMX0017: ids are lower snake_case; reported at the value.
        C("id_in_pascal_case", BaseYaml.Vmcs16, "      - id: guest_es_selector", "      - id: GuestEsSelector", "VMX0017", 8, 13,
            "'GuestEsSelector' is not a valid id: ids are lower snake_case ([a-z][a-z0-9_]*)"),
        C("layout_enum_reference_not_an_id", BaseYaml.Layouts, "        enum: memory_type", "        enum: Memory-Type", "VMX0017", 28, 15,
            "'Memory-Type' is not a valid id"),
        C("msr_name_not_upper_snake_case", BaseYaml.Tables, "    name: IA32_VMX_PINBASED_CTLS", "    name: IA32-VMX-PINBASED-CTLS", "VMX0061", 8, 11,
            "'IA32-VMX-PINBASED-CTLS' is not a valid MSR name: MSR names are upper snake_case"),

        // VMX0018: numbers wider than what holds them.
        C("index_beyond_9_bits", BaseYaml.Vmcs16, "        index: 1", "        index: 513", "VMX0018", 13, 9,
            "index 513 of 'guest_cs_selector' does not fit bits 9:1 (at most 511)"),
        C("encoding_beyond_32_bits", BaseYaml.Vmcs64, "encoding: 0x2800", "encoding: 0x100002800", "VMX0018", 10, 19,
            "encoding 0x100002800 of 'vmcs_link_pointer' does not fit 32 bits"),
        C("exit_number_beyond_16_bits", BaseYaml.Tables, "    number: 2\n    title: Triple fault", "    number: 65536\n    title: Triple fault", "VMX0018", 16, 13,
            "number 65536 does not fit 16 bits"),
        C("enum_value_wider_than_field", BaseYaml.Layouts, "bits: 53:50", "bits: 51:50", "VMX0018", 25, 9,
            "enumeration 'memory_type' value 'write_back' = 6 does not fit the 2-bit field 'ia32_vmx_basic.memory_type'"),
        C("qualification_vector_beyond_8_bits", BaseYaml.ExitByVector, "      - vector: 14", "      - vector: 256", "VMX0018", 26, 17,
            "vector 256 does not fit bits 7:0 of the VM-exit interruption information (at most 255)"),

        // VMX0013 for an MSR's exists: (the same syntax as a VMCS field's).
        C("msr_exists_unknown_control", BaseYaml.Tables, "    title: Capability Reporting Register of Pin-Based VM-Execution Controls\n",
            "    title: Capability Reporting Register of Pin-Based VM-Execution Controls\n    exists: proc2.enable_ept\n", "VMX0013", 7, 5,
            "'exists' of MSR 'IA32_VMX_PINBASED_CTLS' names control bit 'proc2.enable_ept', which is not defined"),
        C("msr_exists_seam", BaseYaml.Tables, "    title: Capability Reporting Register of Pin-Based VM-Execution Controls\n",
            "    title: Capability Reporting Register of Pin-Based VM-Execution Controls\n    exists: seam\n", "VMX0004", 11, 13,
            "'exists' must be 'always' or control bits joined by '|' such as 'proc2.enable_ept' (an MSR is never SEAM-only), not 'seam'"),

        // VMX0019 (internal error) and VMX0020 (no spec files) come from the generator, not a YAML text:
        // GeneratorDiagnosticTests holds their cases; VMX0130 (overlay beside Vmx.Runtime) OverlayEmissionTests.

        // VMX0021: what the emitters look up by id.
        C("exit_reason_without_failure_bit", BaseYaml.Encoding, "      - id: vm_entry_failure", "      - id: vm_entry_failed", "VMX0021", 39, 5,
            "field 'exit_reason.vm_entry_failure' is not defined; it is needed by the exit decoder"),
        C("exit_reason_basic_too_wide", BaseYaml.Encoding, "        bits: 15:0", "        bits: 16:0", "VMX0042", 44, 9,
            "field 'exit_reason.basic_exit_reason' must be 2 to 16 bits wide without an enumeration (the basic exit-reason number), not bits 16:0"),
        C("vmcs_fields_without_encoding_layout", BaseYaml.EncodingWithField, "  - id: vmcs_component_encoding", "  - id: vmcs_field_encoding",
            "VMX0021", 56, 9, "layout 'vmcs_component_encoding' is not defined; it is needed by the VMCS field encodings"),

        // VMX0022: the encoding layout and the width/type codes against the encoding rules the lint enforces.
        C("encoding_layout_width_moved", BaseYaml.EncodingWithField, "bits: 14:13", "bits: 15:14", "VMX0022", 35, 9,
            "bits of field 'vmcs_component_encoding.width': the spec says 15:14, the encoding rules say 14:13"),
        C("encoding_width_code_renamed", BaseYaml.EncodingWithField, "{id: natural, value: 3", "{id: natural_width, value: 3", "VMX0022", 10, 9,
            "value 3 of enumeration 'vmcs_field_width': the spec says 'natural_width', the encoding rules say 'natural'"),

        // VMX0023-VMX0025: what YamlDotNet must never be given (YamlGuardTests has the rest).
        C("flow_nesting_too_deep", BaseYaml.Vmcs16, "Guest ES selector", new string('[', 100) + new string(']', 100), "VMX0023", 9, 75,
            "lists and mappings are nested more than 64 deep here"),
        C("self_containing_alias", BaseYaml.Vmcs16, "title: Guest ES selector", "title: &t [a, *t]", "VMX0024", 9, 23,
            "alias *t refers to the node that contains it"),
        C("control_character", BaseYaml.Vmcs16, "Guest ES selector", "Guest ES\u0007selector", "VMX0025", 9, 24,
            "the file holds the character U+0007"),

        // VMX0060: the naming contract — generated identifiers unique per language and scope, the generator's own included.
        C("ids_differing_only_in_separators", BaseYaml.Vmcs16, "      - id: guest_cs_selector", "      - id: guest_es__selector", "VMX0060", 13, 9,
            "VMCS field 'guest_es__selector' would generate C# name 'GuestEsSelector' (its enum member) in enum VmcsField, already generated for " +
            "VMCS field 'guest_es_selector' (its enum member) at spec/test.yaml(8,9)"),
        C("layout_field_named_like_a_generated_member", BaseYaml.Layouts, "      - id: region_size", "      - id: value", "VMX0060", 22, 9,
            "layout field 'value' would generate C# name 'Value' (its property) in struct Ia32VmxBasic, which is a name the generator itself defines"),
        C("layout_field_named_like_its_layout", BaseYaml.Layouts, "      - id: region_size", "      - id: ia32_vmx_basic", "VMX0060", 22, 9,
            "layout field 'ia32_vmx_basic' would generate C# name 'Ia32VmxBasic' (its property) in struct Ia32VmxBasic, already generated for " +
            "layout 'ia32_vmx_basic' (its type name) at spec/test.yaml(14,5)"),
        C("layout_field_named_like_the_reserved_mask", BaseYaml.Layouts, "      - id: region_size", "      - id: reserved", "VMX0060 VMX0060", 22, 9,
            "layout field 'reserved' would generate C name 'VMX_IA32_VMX_BASIC_RESERVED_MASK' (its mask macro) in the C headers, already generated for " +
            "layout 'ia32_vmx_basic' (its reserved-bits mask) at spec/test.yaml(14,5)"),

        // CPUID entries (spec/cpuid): the id states where the bits are, and the loader holds it to that.
        C("cpuid_id_names_another_register", BaseYaml.Cpuid, "  - id: cpuid.1.ecx.vmx", "  - id: cpuid.1.edx.vmx", "VMX0100", 3, 5,
            "CPUID id 'cpuid.1.edx.vmx' does not match its leaf, subleaf and register: it must start with 'cpuid.1.ecx.'"),
        // VMX0110-VMX0114: the check language, located inside the scalar.
        C("check_expression_ends_early", BaseYaml.Checks, "require: guest_cr0.pe", "require: guest_cr0.pe &&", "VMX0110", 37, 33,
            "check 'guest_cr0_pg_needs_pe': expected a value, a name or '(' but the text ends"),
        C("check_unknown_layout_field", BaseYaml.Checks, "require: guest_cr0.pe", "require: guest_cr0.pee", "VMX0111", 37, 18,
            "layout 'cr0' of 'guest_cr0' has no field 'pee'; did you mean 'pe'?"),
        C("check_integer_as_condition", BaseYaml.Checks, "require: guest_cr0.pe", "require: guest_cr0 & 1", "VMX0112", 37, 18,
            "a condition must be a boolean, but this is a 1-bit integer"),
        C("check_undeclared_input", BaseYaml.Checks, "require: guest_cr0.pe", "require: guest_cr0.pe && guest_cr3 != 0", "VMX0113", 37, 34,
            "the check reads 'guest_cr3' but does not declare it in 'inputs'"),
        C("check_vector_sets_an_expression", BaseYaml.Checks, "fail: [{guest_cr0.pe: 0}]", "fail: [{\"guest_cr0 | 1\": 0}]", "VMX0114", 40, 18,
            "'guest_cr0 | 1' is not something a vector can set"),
        C("cpuid_id_without_its_subleaf", BaseYaml.Cpuid, "  - id: cpuid.7.0.ecx.la57", "  - id: cpuid.7.ecx.la57", "VMX0100", 9, 5,
            "CPUID id 'cpuid.7.ecx.la57' does not match its leaf, subleaf and register: it must start with 'cpuid.7.0.ecx.'"),
        C("cpuid_id_not_dotted", BaseYaml.Cpuid, "  - id: cpuid.1.ecx.vmx", "  - id: cpuid_1_ecx_vmx", "VMX0101", 3, 9,
            "'cpuid_1_ecx_vmx' is not a valid CPUID id: write cpuid.<leaf in hex>[.<subleaf>].<register>.<name>"),
        C("cpuid_bit_beyond_register", BaseYaml.Cpuid, "    bits: 5\n", "    bits: 32\n", "VMX0015", 6, 11,
            "'cpuid.1.ecx.vmx' (bits 32) lies beyond the 32-bit CPUID output register"),
        C("cpuid_duplicate_id", BaseYaml.Cpuid, "  - id: cpuid.7.0.ecx.la57", "  - id: cpuid.1.ecx.vmx", "VMX0005 VMX0100", 9, 5,
            "CPUID id 'cpuid.1.ecx.vmx' is already defined in the spec at spec/test.yaml(3,5)"),
        C("cpuid_overlapping_bits", BaseYaml.Cpuid, "    title: 57-bit linear addresses\n",
            "    title: 57-bit linear addresses\n    section: CPUID—CPU Identification\n  - id: cpuid.7.0.ecx.la57_again\n    leaf: 0x7\n" +
            "    subleaf: 0\n    register: ecx\n    bits: 17:16\n    title: Overlap\n",
            "VMX0014", 16, 5, "bit 16 of CPUID.7H:ECX is both 'cpuid.7.0.ecx.la57_again' and 'cpuid.7.0.ecx.la57'"),
    };

    public static RuleCase Named(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All) data.Add(c.Name);
        return data;
    }

    public static IEnumerable<string> Bases => new[]
    {
        BaseYaml.Vmcs16, BaseYaml.Vmcs64, BaseYaml.Controls, BaseYaml.Layouts, BaseYaml.Tables, BaseYaml.Encoding, BaseYaml.EncodingWithField, BaseYaml.ExitByVector, BaseYaml.Cpuid,
    };
}
