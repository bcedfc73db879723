using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Vmx;

/// <summary>Where a dump states something: the line and column of its text.</summary>
public readonly record struct DumpLocation(int Line, int Column);

/// <summary>A value a dump shows that is not a VMCS field (KVM's effective EFER, an entry of its MSR autoload list, the
/// #VE information area), with what it means, so a report can show it without passing it off as the VMCS.</summary>
/// <param name="At">Where the dump shows it.</param>
/// <param name="Subject">What the value is, e.g. "effective guest EFER" or "guest autoload [0]".</param>
/// <param name="Value">The value as printed (0 for a token such as a pointer, which <paramref name="Meaning"/> quotes).</param>
/// <param name="Meaning">What it is and why it is not a VMCS field.</param>
/// <param name="Msr">For an MSR-list entry, the MSR's index.</param>
public sealed record DumpNote(DumpLocation At, string Subject, ulong Value, string Meaning, uint? Msr = null);

/// <summary>The VMCS fields a dump shows, and only those. Read of a field it lacks fails with VM-instruction error 12
/// (unsupported VMCS component), as VMREAD of a field the processor lacks would, so a checker reading through it finds
/// such a check "not decidable" rather than passed. Built from KVM's kernel-log dump (<see cref="KvmVmcsDump"/>), from the
/// JSON VMCS dump (<see cref="FromJsonDump"/>) or from an <see cref="InMemoryVmcs"/>, so tools treat all inputs alike.</summary>
public sealed class PartialVmcs : IVmcsAccessor
{
    private readonly Dictionary<VmcsField, ulong> _values = new();
    private readonly Dictionary<VmcsField, DumpLocation> _locations = new();
    private readonly List<DumpNote> _notes = new();

    public PartialVmcs(string source) => Source = source;

    /// <summary>The file (or name) the fields were read from; error messages and reports cite it.</summary>
    public string Source { get; }

    /// <summary>The revision identifier, where the input states it (the JSON dump, an in-memory VMCS); KVM's dump does not.</summary>
    public uint? RevisionId { get; set; }

    /// <summary>The launch state, where the input states it.</summary>
    public VmcsLaunchState? LaunchState { get; set; }

    /// <summary>The fields present, in catalog order, with their values.</summary>
    public IEnumerable<(VmcsFieldInfo Field, ulong Value)> Fields =>
        VmcsFieldCatalog.All.Where(f => _values.ContainsKey(f.Field)).Select(f => (f, _values[f.Field]));

    /// <summary>What the dump shows besides VMCS fields, in the order it shows it.</summary>
    public IReadOnlyList<DumpNote> Notes => _notes;

    public bool Contains(VmcsFieldInfo field) => _values.ContainsKey(field.Field);

    public bool Contains(VmcsField field) => _values.ContainsKey(field);

    /// <summary>Where the input states the field's value, when it is a text dump that says.</summary>
    public DumpLocation? LocationOf(VmcsFieldInfo field) => _locations.TryGetValue(field.Field, out var at) ? at : null;

    public VmxResult Read(VmcsField field, out ulong value)
    {
        value = 0;
        if (VmcsEncoding.Resolve((uint)field) is not { } access || !_values.TryGetValue(access.Info.Field, out var full))
            return VmxResult.FailValid((uint)VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent);
        value = access.High ? full >> 32 : full;
        return VmxResult.Success;
    }

    /// <summary>Sets a field (it becomes present). A dump is data, not a processor: read-only fields are writable too; a
    /// high-half access of a field the dump lacks adds it with a low half of 0.</summary>
    public VmxResult Write(VmcsField field, ulong value)
    {
        if (VmcsEncoding.Resolve((uint)field) is not { } access)
            return VmxResult.FailValid((uint)VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent);
        var info = access.Info;
        if (access.High)
            _values[info.Field] = (_values.TryGetValue(info.Field, out var old) ? old & 0xFFFF_FFFFUL : 0) | ((value & 0xFFFF_FFFFUL) << 32);
        else
            _values[info.Field] = info.BitWidth == 64 ? value : value & ((1UL << info.BitWidth) - 1);
        return VmxResult.Success;
    }

    /// <summary>Removes a field, so that reads of it fail with error 12 again.</summary>
    public bool Remove(VmcsFieldInfo field)
    {
        _locations.Remove(field.Field);
        return _values.Remove(field.Field);
    }

    internal void Store(VmcsFieldInfo field, ulong value, DumpLocation? at)
    {
        _values[field.Field] = value;
        if (at is { } location) _locations[field.Field] = location;
    }

    internal bool TryGet(VmcsFieldInfo field, out ulong value) => _values.TryGetValue(field.Field, out value);

    internal void AddNote(DumpNote note) => _notes.Add(note);

    /// <summary>Every field the in-memory VMCS has (on its processor), with revision and launch state.</summary>
    public static PartialVmcs From(InMemoryVmcs vmcs, string source = "<vmcs>")
    {
        var partial = new PartialVmcs(source) { RevisionId = vmcs.RevisionId, LaunchState = vmcs.LaunchState };
        foreach (var (field, value) in vmcs.Fields) partial.Store(field, value, null);
        return partial;
    }

    /// <summary>The fields the JSON VMCS dump (runtime/Vmx.Runtime/README.md) lists, and only those: a field it omits is
    /// absent here, not 0 as in the <see cref="InMemoryVmcs"/> that <see cref="VmcsDump.Parse"/> gives.</summary>
    /// <exception cref="DumpFormatException">As <see cref="VmcsDump.Parse"/>.</exception>
    public static PartialVmcs FromJsonDump(string json, string source = "<vmcs>", VmxCapabilities? capabilities = null)
    {
        var vmcs = VmcsDump.Parse(json, source, capabilities); // validates everything and locates errors
        var listed = ((LocatedJson.Object)LocatedJson.Parse(json, source)).Members
            .Where(m => m.Name == "fields").Select(m => m.Value).OfType<LocatedJson.Object>()
            .SelectMany(o => o.Members).GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last()); // the last wins, as in Parse
        var partial = new PartialVmcs(source) { RevisionId = vmcs.RevisionId, LaunchState = vmcs.LaunchState };
        foreach (var (field, value) in vmcs.Fields)
            if (listed.TryGetValue(field.Id, out var member)) partial.Store(field, value, new DumpLocation(member.Line, member.Column));
        return partial;
    }

    public static PartialVmcs LoadJsonDump(string path, VmxCapabilities? capabilities = null) =>
        FromJsonDump(File.ReadAllText(path), path, capabilities);
}
