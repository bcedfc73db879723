using System.Collections.Generic;

namespace Vmx.Cli;

/// <summary>A failing example of each spec diagnostic for the rules page: a small spec file that yields that id and no
/// other (DiagnosticsPageTests loads each and checks). They mirror the failing cases of tests/Vmx.Spec.Tests/RuleCases.cs.
/// Values are the SDM's (Appendix B encodings, Appendix C exit reasons, Appendix A MSR addresses).</summary>
public static class DiagnosticExamples
{
    // The check-language rules' examples share one check; each changes its requirement or its fail vector's target.
    private static string CheckExample(string require, string target) => $$"""
sdm-revision: "325462-086US"
msrs:
  - id: ia32_vmx_misc
    name: IA32_VMX_MISC
    address: 0x485
    title: Reporting Register of Miscellaneous VMX Capabilities
    section: Miscellaneous Data
check-groups:
  - category: K
    name: Guest non-register state
    section: Checks on Guest Non-Register State
    outcome: exit 33
    checks:
      - id: misc_reported
        title: The processor reports IA32_VMX_MISC
        inputs: [ia32_vmx_misc]
        require: {{require}}
        message: "IA32_VMX_MISC is {ia32_vmx_misc}"
        pass: [{ia32_vmx_misc: 1}]
        fail: [{{{target}}: 0}]

""";

    public static IReadOnlyDictionary<string, string> Spec { get; } = new Dictionary<string, string>
    {
        ["VMX0001"] = """
sdm-revision: "325462-086US
msrs: []
""",
        ["VMX0002"] = """
sdm-revision: "325462-086US"
msrs:
  - id: ia32_vmx_basic
    name: IA32_VMX_BASIC
    address: 0x480
    title: Reporting Register of Basic VMX Capabilities
    colour: red
""",
        ["VMX0003"] = """
sdm-revision: "325462-086US"
msrs:
  - id: ia32_vmx_basic
    name: IA32_VMX_BASIC
    address: 0x480
""",
        ["VMX0004"] = """
sdm-revision: "325462-086US"
msrs:
  - id: ia32_vmx_basic
    name: IA32_VMX_BASIC
    address: 1152
    title: Reporting Register of Basic VMX Capabilities
""",
        ["VMX0005"] = """
sdm-revision: "325462-086US"
exit-reasons:
  - id: exception_or_nmi
    number: 0
    title: Exception or non-maskable interrupt (NMI)
  - id: exception_or_nmi
    number: 2
    title: Triple fault
""",
        ["VMX0006"] = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: guest_es_selector
        title: Guest ES selector
        encoding: 0x0800
        index: 0
        description: Selector of the guest's ES segment register.
      - id: guest_cs_selector
        title: Guest CS selector
        encoding: 0x0800
        index: 0
        description: Selector of the guest's CS segment register.
""",
        ["VMX0007"] = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: guest_es_selector
        title: Guest ES selector
        encoding: 0x2800
        index: 0
        description: Selector of the guest's ES segment register.
""",
        ["VMX0008"] = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: guest_es_selector
        title: Guest ES selector
        encoding: 0x0C00
        index: 0
        description: Selector of the guest's ES segment register.
""",
        ["VMX0009"] = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: guest_es_selector
        title: Guest ES selector
        encoding: 0x0800
        index: 2
        description: Selector of the guest's ES segment register.
""",
        ["VMX0010"] = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: guest_es_selector
        title: Guest ES selector
        encoding: 0x0801
        index: 0
        description: Selector of the guest's ES segment register.
""",
        ["VMX0011"] = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: guest_es_selector
        title: Guest ES selector
        encoding: 0x1800
        index: 0
        description: Selector of the guest's ES segment register.
""",
        ["VMX0012"] = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: guest_es_selector
        title: Guest ES selector
        encoding: 0x8800
        index: 0
        description: Selector of the guest's ES segment register.
""",
        ["VMX0013"] = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: guest_es_selector
        title: Guest ES selector
        encoding: 0x0800
        index: 0
        exists: proc2.enable_ept
        description: Selector of the guest's ES segment register.
""",
        ["VMX0014"] = """
sdm-revision: "325462-086US"
enums:
  - id: memory_type
    title: Memory types
    section: Memory Type Range Registers (MTRRs)
    values:
      - {id: uncacheable, value: 0, title: Uncacheable (UC)}
      - {id: write_back, value: 6, title: Write Back (WB)}
layouts:
  - id: ia32_vmx_basic
    title: Reporting Register of Basic VMX Capabilities
    section: Basic VMX Information
    width: 64
    fields:
      - id: region_size
        title: VMCS region size
        bits: 44:32
      - id: memory_type
        title: Memory type used for the VMCS
        bits: 50:40
        enum: memory_type
""",
        ["VMX0015"] = """
sdm-revision: "325462-086US"
enums:
  - id: memory_type
    title: Memory types
    section: Memory Type Range Registers (MTRRs)
    values:
      - {id: uncacheable, value: 0, title: Uncacheable (UC)}
      - {id: write_back, value: 6, title: Write Back (WB)}
layouts:
  - id: ia32_vmx_basic
    title: Reporting Register of Basic VMX Capabilities
    section: Basic VMX Information
    width: 64
    fields:
      - id: region_size
        title: VMCS region size
        bits: 44:32
      - id: memory_type
        title: Memory type used for the VMCS
        bits: 64:50
        enum: memory_type
""",
        ["VMX0016"] = """
sdm-revision: "325462-086US"
exit-reasons:
  - id: exception_or_nmi
    number: 0
    title: Exception or non-maskable interrupt (NMI)
  - id: triple_fault
    number: 0
    title: Triple fault
""",
        ["VMX0017"] = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: GuestEsSelector
        title: Guest ES selector
        encoding: 0x0800
        index: 0
        description: Selector of the guest's ES segment register.
""",
        ["VMX0018"] = """
sdm-revision: "325462-086US"
exit-reasons:
  - id: exception_or_nmi
    number: 0
    title: Exception or non-maskable interrupt (NMI)
  - id: triple_fault
    number: 65536
    title: Triple fault
""",
        ["VMX0021"] = """
sdm-revision: "325462-086US"
layouts:
  - id: exit_reason
    title: Format of Exit Reason
    section: Basic VM-Exit Information
    width: 32
    fields:
      - {id: basic_exit_reason, bits: '15:0', title: Basic exit reason}
      - {id: vm_entry_failed, bits: 31, title: VM-entry failure}
""",
        ["VMX0040"] = """
sdm-revision: "325462-086US"
layouts:
  - id: exit_qualification_debug_exception
    title: Exit Qualification for Debug Exceptions
    section: Basic VM-Exit Information
    width: 64
    fields:
      - {id: b0, bits: 0, title: B0}
exit-reasons:
  - id: exception_or_nmi
    number: 0
    title: Exception or non-maskable interrupt (NMI)
    qualification: exit_qualification_debug_exception
    qualification-by-vector:
      - {vector: 1, layout: exit_qualification_debug_exception}
""",
        ["VMX0041"] = """
sdm-revision: "325462-086US"
msrs:
  - ia32_vmx_basic
""",
        ["VMX0042"] = """
sdm-revision: "325462-086US"
layouts:
  - id: exit_reason
    title: Format of Exit Reason
    section: Basic VM-Exit Information
    width: 32
    fields:
      - {id: basic_exit_reason, bits: '16:0', title: Basic exit reason}
      - {id: vm_entry_failure, bits: 31, title: VM-entry failure}
""",
        ["VMX0023"] = "sdm-revision: \"325462-086US\"\nmsrs:\n  - description: " + new string('[', 70) + new string(']', 70) + "\n",
        ["VMX0024"] = """
sdm-revision: "325462-086US"
msrs:
  - id: ia32_vmx_basic
    title: &t [a, *t]
""",
        // U+FFFD is what a byte that is not UTF-8 (a Latin-1 é) decodes to.
        ["VMX0025"] = "sdm-revision: \"325462-086US\"\n# caf\uFFFD\n",
        ["VMX0026"] = """
sdm-revision: "325462-086US"
exit-reasons:
  - id: triple_fault
    number: "2"
    title: Triple fault
""",
        ["VMX0100"] = """
sdm-revision: "325462-086US"
cpuid:
  - id: cpuid.1.edx.vmx
    leaf: 0x1
    register: ecx
    bits: 5
    title: Virtual Machine Extensions
    section: CPUID—CPU Identification
""",
        ["VMX0101"] = """
sdm-revision: "325462-086US"
cpuid:
  - id: cpuid_1_ecx_vmx
    leaf: 0x1
    register: ecx
    bits: 5
    title: Virtual Machine Extensions
    section: CPUID—CPU Identification
""",
        ["VMX0110"] = CheckExample("ia32_vmx_misc != 0 &&", @"ia32_vmx_misc"),
        ["VMX0111"] = CheckExample("ia32_vmx_misk != 0", @"ia32_vmx_misc"),
        ["VMX0112"] = CheckExample("ia32_vmx_misc & 1", @"ia32_vmx_misc"),
        ["VMX0113"] = CheckExample("ia32_vmx_misc != 0 && in_smm", @"ia32_vmx_misc"),
        ["VMX0114"] = CheckExample("ia32_vmx_misc != 0", @"""ia32_vmx_misc + 1"""),
        ["VMX0060"] = """
sdm-revision: "325462-086US"
layouts:
  - id: probe
    title: A probe register
    section: Control Registers
    width: 32
    fields:
      - {id: enable, bits: 0, title: Enable}
      - {id: value, bits: 1, title: Value}
""",
        ["VMX0061"] = """
sdm-revision: "325462-086US"
msrs:
  - id: ia32_spec_ctrl
    name: IA32-SPEC-CTRL
    address: 0x48
    title: Speculation control
""",
        ["VMX0022"] = EncodingContext.Replace("bits: '14:13'", "bits: '15:14'") + """
vmcs-groups:
  - name: 16-bit guest-state fields
    section: 16-Bit Guest-State Fields
    width: 16
    type: guest-state
    fields:
      - id: guest_es_selector
        title: Guest ES selector
        encoding: 0x0800
        index: 0
        description: Selector of the guest's ES segment register.
""",
    };

    /// <summary>Why a diagnostic has no YAML example: it is about the generator's input as a whole or the tool's.</summary>
    public static IReadOnlyDictionary<string, string> NoYaml { get; } = new Dictionary<string, string>
    {
        ["VMX0019"] = "No example: it reports a bug in vmxgen (an exception while parsing or linking), not a spec mistake.",
        ["VMX0020"] = "Example: a project with `<VmxSpecRequired>true</VmxSpecRequired>` and no `spec/**/*.yaml` AdditionalFiles " +
                      "(tests/Vmx.Generator.Tests, GeneratorRobustnessTests).",
        ["VMX0130"] = "Example: a project that references Vmx.Runtime and Vmx.Generator with a `cpuid:` entry in its own " +
                      "`spec/*.yaml` (tests/Vmx.Generator.Tests, OverlayEmissionTests).",
    };

    /// <summary>The tool's diagnostics: a command (run in the repository) and the line it prints, checked by
    /// DiagnosticsPageTests; those that need a broken file on disk are described in words.</summary>
    public static IReadOnlyDictionary<string, (string Command, string Output)> Tool { get; } = new Dictionary<string, (string, string)>
    {
        ["VMX9006"] = ("exit 35", "vmxgen: error VMX9006: exit reason 35 is not defined by the SDM"),
        ["VMX9007"] = ("explain guest_rip_pointer", "vmxgen: error VMX9007: 'guest_rip_pointer' is not in the spec; no known name is close to it"),
        ["VMX9011"] = ("why tests/fixtures/kvm/baseline-6x.log --cpu maxphyadr=46", "--cpu(1,1): error VMX9011: malformed --cpu: 'maxphyadr' is no CPU fact the checks read; did you mean 'maxphyaddr'?"),
        ["VMX9009"] = ("exit 0x1001c", "vmxgen: warning VMX9009: impossible exit-reason field: exit-reason field 0x0001001C has reserved bits set (0x00010000: bit 16); a processor writes them as 0"),
    };

    public static IReadOnlyDictionary<string, string> ToolInWords { get; } = new Dictionary<string, string>
    {
        ["VMX9001"] = "Example: `vmxgen generate c --out FILE` where FILE is a file: `FILE: error VMX9001: cannot write the output: --out FILE is a file, not a directory; nothing was generated`.",
        ["VMX9002"] = "Example: `vmxgen check --spec DIR` where DIR does not exist: `DIR: error VMX9002: spec directory not found`.",
        ["VMX9003"] = "Example: `vmxgen caps nope.json` where nope.json does not exist: `nope.json: error VMX9003: capability dump not found`.",
        ["VMX9004"] = "Example: `vmxgen caps dump.json` where dump.json is not JSON: `dump.json(LINE,COL): error VMX9004: malformed capability dump: not valid JSON ...`.",
        ["VMX9005"] = "Example: a capability dump whose IA32_VMX_BASIC raised #GP: `dump.json: error VMX9005: not a VMX processor: IA32_VMX_BASIC (0x480) raised #GP or was not read`.",
        ["VMX9010"] = "Example: `vmxgen why kvm.log` where line 9 of kvm.log reads `RSP = 0x0000000000000000  RIP = 0xzz`: `kvm.log(9,59): error VMX9010: malformed VMCS dump: malformed KVM dump line: expected a hex number for guest_rip (the line is \"RSP = <hex> RIP = <hex>\")`.",
        ["VMX9008"] = "Example: a capability dump whose IA32_VMX_BASIC reports a VMCS region size of 4352 bytes: `dump.json: warning VMX9008: impossible capability value: IA32_VMX_BASIC reports a VMCS region size of 4352 bytes; the SDM allows 1 to 4096`.",
    };

    /// <summary>What the lint needs beside VMCS fields (VMX0021/VMX0022): the encoding layout and the width and type codes
    /// of SDM "Field Encoding in VMCS", as the repository's spec states them.</summary>
    public const string EncodingContext = """
sdm-revision: "325462-086US"
enums:
  - id: vmcs_field_width
    title: Width of a VMCS field
    section: Field Encoding in VMCS
    values:
      - {id: bits16, value: 0, title: 16-bit}
      - {id: bits64, value: 1, title: 64-bit}
      - {id: bits32, value: 2, title: 32-bit}
      - {id: natural, value: 3, title: natural-width}
  - id: vmcs_field_type
    title: Type of a VMCS field
    section: Field Encoding in VMCS
    values:
      - {id: control, value: 0, title: control}
      - {id: exit_information, value: 1, title: VM-exit information}
      - {id: guest_state, value: 2, title: guest state}
      - {id: host_state, value: 3, title: host state}
layouts:
  - id: vmcs_component_encoding
    title: Structure of VMCS Component Encoding
    section: Field Encoding in VMCS
    width: 32
    fields:
      - {id: access_type, bits: 0, title: Access type}
      - {id: index, bits: '9:1', title: Index}
      - {id: type, bits: '11:10', title: Type, enum: vmcs_field_type}
      - {id: width, bits: '14:13', title: Width, enum: vmcs_field_width}

""";
}
