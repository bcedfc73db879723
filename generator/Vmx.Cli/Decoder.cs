using System.Collections.Generic;
using System.IO;
using System.Linq;
using Vmx.Spec.Model;

namespace Vmx.Cli;

/// <summary><c>vmxgen decode 0x681E</c>: the encoding split by the spec's layout <c>vmcs_component_encoding</c> (SDM
/// "Field Encoding in VMCS"), its reserved bits (those no field of the layout names), then the field it names.</summary>
public sealed class Decoder
{
    /// <summary>The layout of a VMCS component encoding, and the ids of its fields this decoder interprets.</summary>
    public const string LayoutId = "vmcs_component_encoding";
    private const string AccessId = "access_type";
    private const string IndexId = "index";
    private const string TypeId = "type";
    private const string WidthId = "width";

    /// <summary>The error VMREAD and VMWRITE fail with for an encoding the processor does not support.</summary>
    public const string UnsupportedComponentError = "vmread_vmwrite_unsupported_vmcs_component";

    private readonly SpecModel _model;
    private readonly TextWriter _out;
    private readonly TextWriter _err;

    public Decoder(SpecModel model, TextWriter output, TextWriter error)
    {
        _model = model;
        _out = output;
        _err = error;
    }

    public int Decode(uint encoding)
    {
        var layout = _model.Layouts.FirstOrDefault(l => l.Id == LayoutId);
        var fields = new[] { AccessId, IndexId, TypeId, WidthId }.Select(id => layout?.Fields.FirstOrDefault(f => f.Id == id)).ToArray();
        if (layout is null || fields.Any(f => f is null))
        {
            var missing = layout is null ? $"layout '{LayoutId}'" : "field(s) " + string.Join(", ", new[] { AccessId, IndexId, TypeId, WidthId }.Where((_, i) => fields[i] is null).Select(id => $"'{id}'")) + $" of layout '{LayoutId}'";
            _err.WriteLine($"vmxgen: the spec has no {missing}, so encodings cannot be decoded");
            return 1;
        }
        var (accessField, indexField, typeField, widthField) = (fields[0]!, fields[1]!, fields[2]!, fields[3]!);
        ulong Value(LayoutField f) => (encoding & f.Mask) >> f.Lsb;
        var access = Value(accessField);
        var index = Value(indexField);
        var type = (FieldType)Value(typeField);
        var width = (FieldWidth)Value(widthField);

        _out.WriteLine($"encoding 0x{encoding:X8}");
        var rows = Rows(layout, 32);
        var label = rows.Max(r => r.Id.Length);
        foreach (var (lsb, msb, id, part) in rows)
        {
            var bits = lsb == msb ? $"bit {lsb}" : $"bits {msb}:{lsb}";
            var value = (encoding & RangeMask(lsb, msb)) >> lsb;
            var note = part == accessField ? $" ({(value == 0 ? "full" : "high")})"
                : part == typeField ? $" ({FieldText.Describe((FieldType)value)})"
                : part == widthField ? $" ({FieldText.Describe((FieldWidth)value)})"
                : "";
            var number = msb - lsb + 1 > 9 ? $"0x{value:X}" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _out.WriteLine($"  {bits,-10} {id.PadRight(label)} {number}{note}");
        }

        var reservedMask = ~layout.Fields.Aggregate(0UL, (m, f) => m | f.Mask) & uint.MaxValue;
        if ((encoding & reservedMask) != 0)
        {
            var set = rows.Where(r => r.Field is null && (encoding & RangeMask(r.Lsb, r.Msb)) != 0)
                .Select(r => r.Lsb == r.Msb ? $"{r.Lsb}" : $"{r.Msb}:{r.Lsb}");
            _out.WriteLine($"not a valid VMCS encoding: reserved bits ({string.Join(", ", set)}) are set; VMREAD/VMWRITE fail with {UnsupportedError()}");
            return 1;
        }
        if (access == 1 && width != FieldWidth.Bits64)
        {
            _out.WriteLine($"not a valid VMCS encoding: high access ({Describe(accessField)}) exists only for 64-bit fields, this one is {FieldText.Describe(width)}");
            return 1;
        }
        var full = encoding & ~(uint)accessField.Mask;
        var field = _model.VmcsFields.FirstOrDefault(f => f.Encoding == full);
        if (field is null)
        {
            _out.WriteLine($"unknown: no field of the spec has this encoding (a well-formed {FieldText.Describe(width)} {FieldText.Describe(type)} encoding, index {index})");
            return 0;
        }
        _out.WriteLine($"{field.Id}: {field.Title}{(access == 1 ? " (high 32 bits)" : "")}");
        _out.WriteLine($"  {FieldText.Describe(field.Width)} {FieldText.Describe(field.Type)} field{(field.IsReadOnly ? ", read-only" : "")}; exists {Explainer.Existence(field, _model)}");
        _out.WriteLine($"  SDM: \"{field.Section}\" ({field.SdmRevision}); {field.Description}");
        return 0;
    }

    /// <summary>"error 12 (VMREAD/VMWRITE from/to unsupported VMCS component)", the number looked up in the spec.</summary>
    private string UnsupportedError() => InstructionErrorText(_model, UnsupportedComponentError);

    internal static string InstructionErrorText(SpecModel model, string id) =>
        model.InstructionErrors.FirstOrDefault(e => e.Id == id) is { } error
            ? $"VM-instruction error {error.Number} ({error.Title})"
            : $"VM-instruction error '{id}'";

    private static ulong RangeMask(int lsb, int msb) => (msb - lsb + 1 >= 64 ? ulong.MaxValue : (1UL << (msb - lsb + 1)) - 1) << lsb;

    private static string Describe(LayoutField f) => f.Lsb == f.Msb ? $"bit {f.Lsb}" : $"bits {f.Msb}:{f.Lsb}";

    /// <summary>The layout's fields and the reserved gaps between them, in bit order, up to <paramref name="width"/> bits.</summary>
    private static List<(int Lsb, int Msb, string Id, LayoutField? Field)> Rows(Layout layout, int width)
    {
        var rows = new List<(int, int, string, LayoutField?)>();
        var next = 0;
        foreach (var f in layout.Fields.OrderBy(f => f.Lsb))
        {
            if (f.Lsb > next) rows.Add((next, f.Lsb - 1, "reserved", null));
            rows.Add((f.Lsb, f.Msb, f.Id, f));
            next = System.Math.Max(next, f.Msb + 1);
        }
        if (next < width) rows.Add((next, width - 1, "reserved", null));
        return rows;
    }
}
