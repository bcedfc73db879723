using System;
using System.Runtime.CompilerServices;

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
    private readonly Span<byte> _state; // Unread, Read or Missing
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

    // VmEntryChecks.Run is one method with a call site per input read (hundreds): the JIT inlines nothing in a method
    // that large unless told, so each method below is a small inlined fast path (the input already read, the check
    // decidable) with the rest out of line.
    private const byte Unread = 0, Read = 1, Missing = 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Begin() => _missing = false;

    /// <summary>Records the verdict of a precondition; true when the check goes on to its requirement.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Applies(int check, bool when)
    {
        if (when && !_missing) return true;
        _report.SetNotViolated(check, _missing ? CheckVerdict.NotDecidable : CheckVerdict.NotApplicable);
        return false;
    }

    /// <summary>Records the verdict of a requirement; true when it is violated (the caller then reports the values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Violated(int check, bool holds)
    {
        if (holds && !_missing)
        {
            _report.SetNotViolated(check, CheckVerdict.Passed);
            return false;
        }
        return RecordFailed(check);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RecordFailed(int check)
    {
        if (_missing) { _report.Set(check, CheckVerdict.NotDecidable); return false; }
        _report.Set(check, CheckVerdict.Violated);
        return true;
    }

    public void Report(int check, int count, ulong v0 = 0, ulong v1 = 0, ulong v2 = 0, ulong v3 = 0, ulong v4 = 0, ulong v5 = 0) =>
        _report.SetValues(check, count, v0, v1, v2, v3, v4, v5);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Field(int slot) => _state[slot] == Read ? _values[slot] : ReadField(slot);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadField(int slot)
    {
        var offset = slot;
        if (_state[offset] == Unread)
        {
            var ok = _vmcs.Read(VmEntryChecks.FieldSlots[slot], out var value).IsSuccess;
            _values[offset] = ok ? value : 0;
            _state[offset] = ok ? Read : Missing;
        }
        return Value(offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Msr(int slot)
    {
        var offset = VmEntryChecks.FieldSlots.Length + slot;
        return _state[offset] == Read ? _values[offset] : ReadMsr(slot);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadMsr(int slot)
    {
        var offset = VmEntryChecks.FieldSlots.Length + slot;
        if (_state[offset] == Unread)
        {
            ulong value = 0;
            var ok = _capabilities is not null && _capabilities.Msrs.TryRead(VmEntryChecks.MsrSlots[slot], out value);
            _values[offset] = value;
            _state[offset] = ok ? Read : Missing;
        }
        return Value(offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Fact(int slot)
    {
        var offset = VmEntryChecks.FieldSlots.Length + VmEntryChecks.MsrSlots.Length + slot;
        return _state[offset] == Read ? _values[offset] : ReadFact(slot);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadFact(int slot)
    {
        var offset = VmEntryChecks.FieldSlots.Length + VmEntryChecks.MsrSlots.Length + slot;
        if (_state[offset] == Unread)
        {
            var ok = _facts.TryGet(VmEntryChecks.FactSlots[slot], out var value);
            _values[offset] = value;
            _state[offset] = ok ? Read : Missing;
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
        if (_state[offset] == Missing) _missing = true;
        return _values[offset];
    }

    internal static int Slots => VmEntryChecks.FieldSlots.Length + VmEntryChecks.MsrSlots.Length + VmEntryChecks.FactSlots.Length;
}
