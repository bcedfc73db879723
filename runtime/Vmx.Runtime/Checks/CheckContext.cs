using System;

namespace Vmx;

/// <summary>What the generated checks (VmEntryChecks.Run) evaluate against: each input read once and cached, a read
/// that fails marks the running check not decidable. A ref struct over stack memory, so validating allocates nothing.</summary>
public ref struct CheckContext<TAccessor> where TAccessor : IVmcsAccessor
{
    private readonly TAccessor _vmcs;
    private readonly VmxCapabilities? _capabilities;
    private readonly CpuFacts _facts;
    private readonly IGuestMemory? _memory;
    private readonly VmEntryReport _report;
    private readonly Span<ulong> _values;
    private readonly Span<byte> _state; // 0 unread, 1 read, 2 missing
    private bool _missing;

    internal CheckContext(TAccessor vmcs, VmxCapabilities? capabilities, CpuFacts facts, IGuestMemory? memory, VmEntryReport report,
        Span<ulong> values, Span<byte> state)
    {
        _vmcs = vmcs;
        _capabilities = capabilities;
        _facts = facts;
        _memory = memory;
        _report = report;
        _values = values;
        _state = state;
        _missing = false;
    }

    public void Begin() => _missing = false;

    /// <summary>Records the verdict of a precondition; true when the check goes on to its requirement.</summary>
    public bool Applies(int check, bool when)
    {
        if (_missing) { _report.Set(check, CheckVerdict.NotDecidable); return false; }
        if (!when) { _report.Set(check, CheckVerdict.NotApplicable); return false; }
        return true;
    }

    /// <summary>Records the verdict of a requirement; true when it is violated (the caller then reports the values).</summary>
    public bool Violated(int check, bool holds)
    {
        if (_missing) { _report.Set(check, CheckVerdict.NotDecidable); return false; }
        _report.Set(check, holds ? CheckVerdict.Passed : CheckVerdict.Violated);
        return !holds;
    }

    public void Report(int check, int count, ulong v0 = 0, ulong v1 = 0, ulong v2 = 0, ulong v3 = 0, ulong v4 = 0, ulong v5 = 0) =>
        _report.SetValues(check, count, v0, v1, v2, v3, v4, v5);

    public ulong Field(int slot)
    {
        var offset = slot;
        if (_state[offset] == 0)
        {
            var ok = _vmcs.Read(VmEntryChecks.FieldSlots[slot], out var value).IsSuccess;
            _values[offset] = ok ? value : 0;
            _state[offset] = ok ? (byte)1 : (byte)2;
        }
        return Value(offset);
    }

    public ulong Msr(int slot)
    {
        var offset = VmEntryChecks.FieldSlots.Length + slot;
        if (_state[offset] == 0)
        {
            ulong value = 0;
            var ok = _capabilities is not null && _capabilities.Msrs.TryRead(VmEntryChecks.MsrSlots[slot], out value);
            _values[offset] = value;
            _state[offset] = ok ? (byte)1 : (byte)2;
        }
        return Value(offset);
    }

    public ulong Fact(int slot)
    {
        var offset = VmEntryChecks.FieldSlots.Length + VmEntryChecks.MsrSlots.Length + slot;
        if (_state[offset] == 0)
        {
            var ok = _facts.TryGet(VmEntryChecks.FactSlots[slot], out var value);
            _values[offset] = value;
            _state[offset] = ok ? (byte)1 : (byte)2;
        }
        return Value(offset);
    }

    /// <summary>The allowed-0 settings of a control field (bit set: must be 1), TRUE_ MSRs as IA32_VMX_BASIC[55] says.</summary>
    public ulong Allowed0(ControlFieldKind kind) => Allowed(kind)?.Allowed0 ?? 0;

    /// <summary>The allowed-1 settings of a control field (bit clear: must be 0).</summary>
    public ulong Allowed1(ControlFieldKind kind) => Allowed(kind)?.Allowed1 ?? 0;

    private ControlCapability? Allowed(ControlFieldKind kind)
    {
        if (_capabilities is null) { _missing = true; return null; }
        return _capabilities.Control(kind);
    }

    public ulong Memory(ulong address, int size)
    {
        if (_memory is not null && _memory.TryRead(address, size, out var value)) return value;
        _missing = true;
        return 0;
    }

    private ulong Value(int offset)
    {
        if (_state[offset] == 2) _missing = true;
        return _values[offset];
    }

    internal static int Slots => VmEntryChecks.FieldSlots.Length + VmEntryChecks.MsrSlots.Length + VmEntryChecks.FactSlots.Length;
}
