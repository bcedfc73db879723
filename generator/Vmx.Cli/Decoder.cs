using System.IO;
using System.Linq;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;

namespace Vmx.Cli;

/// <summary><c>vmxgen decode 0x681E</c>: the encoding's bits, then the field the spec gives it.</summary>
public sealed class Decoder
{
    private readonly SpecModel _model;
    private readonly TextWriter _out;

    public Decoder(SpecModel model, TextWriter output)
    {
        _model = model;
        _out = output;
    }

    public int Decode(ulong encoding)
    {
        _out.WriteLine($"encoding 0x{encoding:X8}");
        var reserved = (encoding >> 15) != 0 || (encoding & (1UL << 12)) != 0;
        var access = (int)(encoding & 1);
        var index = (int)((encoding >> 1) & 0x1FF);
        var type = (FieldType)((encoding >> 10) & 3);
        var width = (FieldWidth)((encoding >> 13) & 3);
        _out.WriteLine($"  bit 0      access  {access} ({(access == 0 ? "full" : "high")})");
        _out.WriteLine($"  bits 9:1   index   {index}");
        _out.WriteLine($"  bits 11:10 type    {(int)type} ({FieldText.Describe(type)})");
        _out.WriteLine($"  bit 12     reserved {(encoding >> 12) & 1}");
        _out.WriteLine($"  bits 14:13 width   {(int)width} ({FieldText.Describe(width)})");
        _out.WriteLine($"  bits 31:15 reserved 0x{encoding >> 15:X}");
        if (reserved)
        {
            _out.WriteLine("not a valid VMCS encoding: reserved bits (12 or 31:15) are set; VMREAD/VMWRITE fail with error 12");
            return 1;
        }
        if (access == 1 && width != FieldWidth.Bits64)
        {
            _out.WriteLine($"not a valid VMCS encoding: high access (bit 0) exists only for 64-bit fields, this one is {FieldText.Describe(width)}");
            return 1;
        }
        var full = (uint)encoding & ~1u;
        var field = _model.VmcsFields.FirstOrDefault(f => f.Encoding == full);
        if (field is null)
        {
            _out.WriteLine($"unknown: no field of the spec has this encoding (a well-formed {FieldText.Describe(width)} {FieldText.Describe(type)} encoding, index {index})");
            return 0;
        }
        _out.WriteLine($"{field.Id}: {field.Title}{(access == 1 ? " (high 32 bits)" : "")}");
        _out.WriteLine($"  {FieldText.Describe(field.Width)} {FieldText.Describe(field.Type)} field{(field.IsReadOnly ? ", read-only" : "")}; exists {Explainer.Existence(field)}");
        _out.WriteLine($"  SDM: \"{field.Section}\" ({field.SdmRevision}); {field.Description}");
        return 0;
    }
}
