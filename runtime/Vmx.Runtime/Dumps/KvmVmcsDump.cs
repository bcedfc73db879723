using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Vmx;

/// <summary>Reads the VMCS dump Linux KVM writes to the kernel log after a failed VM entry ("KVM: entry failed, hardware
/// error 0x80000021"; function dump_vmcs, printed when kvm_intel.dump_invalid_vmcs=1): the <c>*** Guest State ***</c>,
/// <c>*** Host State ***</c> and <c>*** Control State ***</c> blocks, in the formats of kernels 4.4 to the FRED series
/// (<see cref="KvmDumpLines"/>). Log prefixes are stripped; lines the dump never prints are skipped; a line that starts like
/// one it prints but does not match it is a located error. The result holds only the fields the dump shows: KVM prints
/// some values conditionally, and some that are not VMCS fields (its effective EFER, MSR lists), which become notes.</summary>
public static class KvmVmcsDump
{
    private const string GuestHeader = "*** Guest State ***";
    private const string HostHeader = "*** Host State ***";
    private const string ControlHeader = "*** Control State ***";

    private static readonly Dictionary<string, VmcsFieldInfo> FieldsById = VmcsFieldCatalog.All.ToDictionary(f => f.Id);

    public static PartialVmcs Load(string path) => Parse(File.ReadAllText(path), path);

    /// <exception cref="DumpFormatException">The text holds no dump, holds two, or has a malformed dump line.</exception>
    public static PartialVmcs Parse(string text, string source = "<kvm log>")
    {
        var reader = new Reader(source);
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++) reader.Line(n + 1, lines[n].TrimEnd('\r'));
        return reader.Finish();
    }

    /// <summary>The VMCS field a dump line's hole names, if it names one (not a note, not a 0-when-absent value).</summary>
    internal static VmcsFieldInfo? FieldOf(string hole) => FieldsById.GetValueOrDefault(hole);

    private sealed class Reader
    {
        private readonly string _source;
        private readonly PartialVmcs _vmcs;
        private KvmDumpSection _section = KvmDumpSection.Preamble;
        private bool _sawHeader;
        private string? _msrList; // the "MSR <list>:" whose entries follow
        // Values KVM prints as 0 when the processor lacks the field: kept until the controls that activate them are known.
        private readonly List<(VmcsFieldInfo Field, ulong Value, DumpLocation At)> _printedZeroWhenAbsent = new();

        public Reader(string source)
        {
            _source = source;
            _vmcs = new PartialVmcs(source);
        }

        public void Line(int number, string line)
        {
            var start = KvmLogPrefix.MessageStart(line);
            while (start < line.Length && char.IsWhiteSpace(line[start])) start++;
            if (start == line.Length) return;
            if (Header(line, start) is { } header)
            {
                if (header <= _section && _sawHeader)
                    throw Error(number, start, $"a second VMCS dump starts here (\"{line.Substring(start).Trim()}\" again): give one dump at a time");
                _section = header;
                _sawHeader = true;
                _msrList = null;
                return;
            }
            if (_msrList is not null && start < line.Length && char.IsAsciiDigit(line[start]))
            {
                MsrEntry(number, line, start);
                return;
            }
            _msrList = null;
            var candidates = KvmDumpLines.All.Where(l => l.Section == _section && l.Template.Claims(line, start)).ToList();
            if (candidates.Count == 0) return; // not a line dump_vmcs prints here: other kernel messages interleave
            LineTemplate.Result? best = null;
            LineTemplate? bestTemplate = null;
            foreach (var candidate in candidates)
            {
                var result = candidate.Template.Match(line, start);
                if (result.Success)
                {
                    Apply(number, candidate.Template, result.Captures!);
                    return;
                }
                if (best is null || result.FailIndex > best.FailIndex) (best, bestTemplate) = (result, candidate.Template);
            }
            if (_section == KvmDumpSection.Preamble) return; // before the dump, any text may start with "VMCS"
            throw Error(number, best!.FailIndex, $"malformed KVM dump line: expected {best.Expected} (the line is \"{bestTemplate!.Display}\")");
        }

        private static KvmDumpSection? Header(string line, int start)
        {
            var text = line.AsSpan(start).TrimEnd();
            if (text.SequenceEqual(GuestHeader)) return KvmDumpSection.Guest;
            if (text.SequenceEqual(HostHeader)) return KvmDumpSection.Host;
            if (text.SequenceEqual(ControlHeader)) return KvmDumpSection.Control;
            return null;
        }

        private void Apply(int number, LineTemplate template, IReadOnlyList<LineTemplate.Capture> captures)
        {
            if (template.Text.StartsWith("MSR ", StringComparison.Ordinal))
            {
                _msrList = template.Text.Substring(4).TrimEnd(':');
                return;
            }
            (int Number, int Index)? cr3Target = null;
            (ulong Value, int Index)? svi = null;
            foreach (var capture in captures)
            {
                var at = new DumpLocation(number, capture.Index + 1);
                var name = capture.Name;
                if (FieldOf(name) is { } field)
                {
                    Store(field, capture, at);
                }
                else if (name[0] == '@' && FieldOf(name.Substring(1)) is { } maybeAbsent)
                {
                    CheckWidth(maybeAbsent, capture, at);
                    _printedZeroWhenAbsent.Add((maybeAbsent, capture.Value, at));
                }
                else if (name == "#cr3_target")
                {
                    cr3Target = ((int)capture.Value, capture.Index);
                }
                else if (name == "@cr3_target_value")
                {
                    var (n, index) = cr3Target!.Value;
                    var target = FieldOf("cr3_target_value_" + n.ToString(CultureInfo.InvariantCulture))
                        ?? throw Error(number, index, $"there is no CR3-target value {n}: the spec's VMCS has cr3_target_value_0 to _3");
                    Store(target, capture, at);
                }
                else if (name == "@svi")
                {
                    svi = (capture.Value, capture.Index);
                }
                else if (name == "@rvi")
                {
                    // SDM "Guest Non-Register State": RVI is the low byte of guest interrupt status, SVI the high byte.
                    var status = FieldOf("guest_interrupt_status")!;
                    if (svi!.Value.Value > 0xFF || capture.Value > 0xFF) throw Error(number, svi.Value.Value > 0xFF ? svi.Value.Index : capture.Index, "SVI and RVI are one byte each");
                    var combined = new LineTemplate.Capture(status.Id, svi.Value.Value << 8 | capture.Value, "", svi.Value.Index);
                    Store(status, combined, new DumpLocation(number, svi.Value.Index + 1));
                }
                else
                {
                    Note(name, capture, at);
                }
            }
        }

        private void MsrEntry(int number, string line, int start)
        {
            var result = KvmDumpLines.MsrEntry.Match(line, start);
            if (!result.Success)
                throw Error(number, result.FailIndex, $"malformed entry of KVM's MSR {_msrList} list: expected {result.Expected} (the line is \"{KvmDumpLines.MsrEntry.Display}\")");
            var c = result.Captures!;
            if (c[1].Value > uint.MaxValue) throw Error(number, c[1].Index, "an MSR index has 32 bits");
            var meaning = _msrList == "host autoload"
                ? "an entry of KVM's VM-exit MSR-load list (its memory, not a VMCS field)"
                : _msrList == "guest autostore"
                    ? "an entry of KVM's VM-exit MSR-store list (its memory, not a VMCS field)"
                    : "an entry of KVM's VM-entry MSR-load list (its memory, not a VMCS field)";
            _vmcs.AddNote(new DumpNote(new DumpLocation(number, c[0].Index + 1), $"{_msrList} [{c[0].Value}]", c[2].Value, meaning, (uint)c[1].Value));
        }

        private void Note(string name, LineTemplate.Capture capture, DumpLocation at)
        {
            var key = name.TrimStart('@', '#', '*');
            var (subject, meaning) = KvmDumpLines.NoteHoles[key];
            var value = name[0] == '*' ? 0 : capture.Value;
            _vmcs.AddNote(new DumpNote(at, subject, value, name[0] == '*' ? $"{meaning}: {capture.Raw}" : meaning));
        }

        private void Store(VmcsFieldInfo field, LineTemplate.Capture capture, DumpLocation at)
        {
            CheckWidth(field, capture, at);
            if (_vmcs.TryGet(field, out var earlier) && earlier != capture.Value)
            {
                var first = _vmcs.LocationOf(field)!.Value;
                throw Error(at.Line, at.Column - 1, $"{field.Id} is 0x{capture.Value:x} here but 0x{earlier:x} on line {first.Line}");
            }
            _vmcs.Store(field, capture.Value, _vmcs.LocationOf(field) ?? at);
        }

        private void CheckWidth(VmcsFieldInfo field, LineTemplate.Capture capture, DumpLocation at)
        {
            if (field.BitWidth < 64 && capture.Value >> field.BitWidth != 0)
                throw Error(at.Line, at.Column - 1, $"{capture.Raw} does not fit {field.Id} ({field.BitWidth} bits)");
        }

        public PartialVmcs Finish()
        {
            if (!_sawHeader)
                throw new DumpFormatException(_source, 1, 1,
                    $"no KVM VMCS dump here: expected the \"{GuestHeader}\" block KVM's dump_vmcs writes to the kernel log (dmesg) after \"KVM: entry failed, hardware error 0x80000021\" (it needs kvm_intel.dump_invalid_vmcs=1)");
            foreach (var (field, value, at) in _printedZeroWhenAbsent)
            {
                if (value != 0 || IsActivated(field))
                {
                    Store(field, new LineTemplate.Capture(field.Id, value, "", at.Column - 1), at);
                    continue;
                }
                _vmcs.AddNote(new DumpNote(at, field.Id, 0,
                    $"printed as 0, which is what KVM prints when the processor lacks {field.Id}; nothing in the dump shows the field in use (for a control field: its activating control is not 1), so it is not taken as present"));
            }
            return _vmcs;
        }

        /// <summary>True when the control that activates this control field (spec: the field's enabled-by bit) is shown as 1.</summary>
        private bool IsActivated(VmcsFieldInfo field)
        {
            if (ControlFieldCatalog.All.FirstOrDefault(c => c.Field == field.Field)?.EnabledBy is not { } gate) return false;
            var gateField = ControlFieldCatalog.All.First(c => c.Kind == gate.Control).Field;
            return _vmcs.TryGet(VmcsFieldCatalog.Find((uint)gateField)!, out var gateValue) && (gateValue >> gate.Bit & 1) != 0;
        }

        private DumpFormatException Error(int line, int index, string problem) => new(_source, line, index + 1, problem);
    }
}
