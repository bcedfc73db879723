namespace Vmx.Spec.Tests;

/// <summary>Small valid spec files. Each failing case is one of these with one edit, so the base is also the
/// "corrected" file of every case. Values are the SDM's (Appendix B encodings, A.1 IA32_VMX_BASIC, Appendix C
/// exit reasons, "VM Instruction Error Numbers", MSR addresses of Appendix A), written here by hand, not
/// taken from the generator. The expected positions of the cases count on these exact lines.</summary>
internal static class BaseYaml
{
    /// <summary>Lines 8-12: guest_es_selector (0x0800, index 0); lines 13-17: guest_cs_selector (0x0802, index 1).</summary>
    public const string Vmcs16 = """
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
        encoding: 0x0802
        index: 1
        description: Selector of the guest's CS segment register.

""";

    /// <summary>Lines 8-12: vmcs_link_pointer (0x2800, index 0).</summary>
    public const string Vmcs64 = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 64-bit guest-state fields
    section: 64-Bit Guest-State Fields
    width: 64
    type: guest-state
    fields:
      - id: vmcs_link_pointer
        title: VMCS link pointer
        encoding: 0x2800
        index: 0
        description: All ones unless VMCS shadowing is in use.

""";

    /// <summary>Two 32-bit control fields (lines 8, 13), guest IA32_PAT (line 23, exists if entry.load_ia32_pat),
    /// two capability MSRs (lines 30, 34), control field pin (line 39; bits at 45 and 50) and entry (line 55; bit at 61).</summary>
    public const string Controls = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: 32-bit control fields
    section: 32-Bit Control Fields
    width: 32
    type: control
    fields:
      - id: pin_based_vm_execution_controls
        title: Pin-based VM-execution controls
        encoding: 0x4000
        index: 0
        description: Controls for asynchronous events.
      - id: vm_entry_controls
        title: VM-entry controls
        encoding: 0x4012
        index: 9
        description: Controls for VM entries.
  - name: 64-bit guest-state fields
    section: 64-Bit Guest-State Fields
    width: 64
    type: guest-state
    fields:
      - id: guest_ia32_pat
        title: Guest IA32_PAT
        encoding: 0x2804
        index: 2
        exists: entry.load_ia32_pat
        description: Guest value of IA32_PAT.
msrs:
  - id: ia32_vmx_pinbased_ctls
    name: IA32_VMX_PINBASED_CTLS
    address: 0x481
    title: Capability Reporting Register of Pin-Based VM-Execution Controls
  - id: ia32_vmx_entry_ctls
    name: IA32_VMX_ENTRY_CTLS
    address: 0x484
    title: Capability Reporting Register of VM-Entry Controls
control-fields:
  - id: pin
    title: Pin-Based VM-Execution Controls
    section: Pin-Based VM-Execution Controls
    field: pin_based_vm_execution_controls
    capability-msr: IA32_VMX_PINBASED_CTLS
    bits:
      - id: external_interrupt_exiting
        title: External-interrupt exiting
        bit: 0
        default1: false
        description: External interrupts cause VM exits.
      - id: nmi_exiting
        title: NMI exiting
        bit: 3
        default1: false
        description: Non-maskable interrupts cause VM exits.
  - id: entry
    title: VM-Entry Controls
    section: VM-Entry Controls
    field: vm_entry_controls
    capability-msr: IA32_VMX_ENTRY_CTLS
    bits:
      - id: load_ia32_pat
        title: Load IA32_PAT
        bit: 14
        default1: false
        description: IA32_PAT is loaded on VM entry.

""";

    /// <summary>Enumeration memory_type (line 3; values at 7 and 10) and layout ia32_vmx_basic (line 14; fields at 19, 22, 25).</summary>
    public const string Layouts = """
sdm-revision: "325462-086US"
enums:
  - id: memory_type
    title: Memory types
    section: Memory Type Range Registers (MTRRs)
    values:
      - id: uncacheable
        value: 0
        title: Uncacheable (UC)
      - id: write_back
        value: 6
        title: Write Back (WB)
layouts:
  - id: ia32_vmx_basic
    title: Reporting Register of Basic VMX Capabilities
    section: Basic VMX Information
    width: 64
    fields:
      - id: revision_identifier
        title: VMCS revision identifier
        bits: 30:0
      - id: region_size
        title: VMCS region size
        bits: 44:32
      - id: memory_type
        title: Memory type used for the VMCS
        bits: 53:50
        enum: memory_type

""";

    /// <summary>MSRs (lines 3, 7), exit reasons (lines 12, 15) and VM-instruction errors (lines 19, 22).</summary>
    /// <summary>Lines 3-8: cpuid.1.ecx.vmx (CPUID.1:ECX[5], SDM "Discovering Support for VMX"); lines 9-15:
    /// cpuid.7.0.ecx.la57 (CPUID.(EAX=7,ECX=0):ECX[16]).</summary>
    /// <summary>Two guest fields, layout cr0 and one check (lines 36-44; require at line 40, column 18).</summary>
    public const string Checks = """
sdm-revision: "325462-086US"
vmcs-groups:
  - name: Natural-width guest-state fields
    section: Natural-Width Guest-State Fields
    width: natural
    type: guest-state
    fields:
      - id: guest_cr0
        title: Guest CR0
        encoding: 0x6800
        index: 0
        layout: cr0
        description: Guest CR0.
      - id: guest_cr3
        title: Guest CR3
        encoding: 0x6802
        index: 1
        description: Guest CR3.
layouts:
  - id: cr0
    title: Control register CR0
    section: Control Registers
    width: 64
    fields:
      - {id: pe, bits: 0, title: Protection Enable}
      - {id: pg, bits: 31, title: Paging}
check-groups:
  - category: G
    name: Guest control registers
    section: Checks on Guest Control Registers, Debug Registers, and MSRs
    outcome: exit 33
    checks:
      - id: guest_cr0_pg_needs_pe
        title: CR0.PG needs CR0.PE
        inputs: [guest_cr0]
        when: guest_cr0.pg
        require: guest_cr0.pe
        message: "guest CR0 {guest_cr0} sets PG without PE"
        pass: [{guest_cr0.pe: 1}]
        fail: [{guest_cr0.pe: 0}]
""";

    public const string Cpuid = """
sdm-revision: "325462-086US"
cpuid:
  - id: cpuid.1.ecx.vmx
    leaf: 0x1
    register: ecx
    bits: 5
    title: Virtual Machine Extensions
    section: Discovering Support for VMX
  - id: cpuid.7.0.ecx.la57
    leaf: 0x7
    subleaf: 0
    register: ecx
    bits: 16
    title: 57-bit linear addresses
    section: CPUID—CPU Identification
""";

    public const string Tables = """
sdm-revision: "325462-086US"
msrs:
  - id: ia32_vmx_basic
    name: IA32_VMX_BASIC
    address: 0x480
    title: Reporting Register of Basic VMX Capabilities
  - id: ia32_vmx_pinbased_ctls
    name: IA32_VMX_PINBASED_CTLS
    address: 0x481
    title: Capability Reporting Register of Pin-Based VM-Execution Controls
exit-reasons:
  - id: exception_or_nmi
    number: 0
    title: Exception or non-maskable interrupt (NMI)
  - id: triple_fault
    number: 2
    title: Triple fault
instruction-errors:
  - id: vmcall_in_vmx_root_operation
    number: 1
    title: VMCALL executed in VMX root operation
  - id: vmclear_invalid_physical_address
    number: 2
    title: VMCLEAR with invalid physical address

""";
    /// <summary>An exit reason whose qualification layout depends on the vector (exit reason 0: #DB, #PF), with the two
    /// layouts it names (exit reason at line 20, its per-vector entries at 24 and 26).</summary>
    public const string ExitByVector = """
sdm-revision: "325462-086US"
layouts:
  - id: exit_qualification_debug_exception
    title: Exit Qualification for Debug Exceptions
    section: Basic VM-Exit Information
    width: 64
    fields:
      - id: b0
        bits: 0
        title: B0
  - id: exit_qualification_page_fault
    title: Exit qualification for page-fault exceptions
    section: Basic VM-Exit Information
    width: 64
    fields:
      - id: linear_address
        bits: 63:0
        title: Faulting linear address
exit-reasons:
  - id: exception_or_nmi
    number: 0
    title: Exception or non-maskable interrupt (NMI)
    qualification-by-vector:
      - vector: 1
        layout: exit_qualification_debug_exception
      - vector: 14
        layout: exit_qualification_page_fault

""";
    /// <summary>What the generator relies on (VMX0021/VMX0022): enumerations vmcs_field_width (line 3; value natural at 10)
    /// and vmcs_field_type (line 11), layout vmcs_component_encoding (line 20; field width at 35) and layout exit_reason
    /// (line 39; fields at 44, 47). <see cref="TestSpec.Load"/> adds it to a file that has VMCS fields but none of it.</summary>
    public const string Encoding = """
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
      - id: access_type
        bits: 0
        title: Access type
      - id: index
        bits: 9:1
        title: Index
      - id: type
        bits: 11:10
        title: Type
        enum: vmcs_field_type
      - id: width
        bits: 14:13
        title: Width
        enum: vmcs_field_width
  - id: exit_reason
    title: Format of Exit Reason
    section: Basic VM-Exit Information
    width: 32
    fields:
      - id: basic_exit_reason
        bits: 15:0
        title: Basic exit reason
      - id: vm_entry_failure
        bits: 31
        title: VM-entry failure

""";

    /// <summary><see cref="Encoding"/> and one VMCS field, guest_es_selector (line 56).</summary>
    public const string EncodingWithField = Encoding + """
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

""";
}
