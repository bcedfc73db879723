using System.Collections.Generic;
using Vmx.Spec.Model;
using YamlDotNet.RepresentationModel;

namespace Vmx.Spec.Loading;

internal static class ControlReader
{
    internal static readonly string[] Keys =
        { "id", "title", "section", "field", "capability-msr", "true-capability-msr", "enabled-by", "bits" };
    internal static readonly string[] BitKeys = { "id", "title", "bit", "default1", "description" };

    internal static readonly string[] AdditionKeys = { "control", "bits" };

    /// <summary>A <c>control-bits:</c> entry: bits added to a control field the base spec defines.</summary>
    public static void ReadAdditions(YamlNode node, Context context, List<ControlBitAddition> additions)
    {
        var reader = MappingReader.Open(node, context.Source, context.Diagnostics, "a control-bits entry", AdditionKeys);
        if (reader is null) return;
        var control = reader.Id("control");
        var bits = ReadBits(reader, context);
        if (control is null) return;
        foreach (var bit in bits)
            additions.Add(context.Sources.Add(new ControlBitAddition(control, bit), context.Sources[bit]));
    }

    private static List<ControlBit> ReadBits(MappingReader reader, Context context)
    {
        var bits = new List<ControlBit>();
        foreach (var bitNode in reader.List("bits"))
        {
            var bit = MappingReader.Open(bitNode, context.Source, context.Diagnostics, "a control bit", BitKeys);
            if (bit is null) continue;
            var bitId = bit.Id();
            var bitTitle = bit.String("title");
            var position = bit.Number("bit");
            var default1 = bit.Bool("default1");
            var description = bit.String("description");
            if (bit.IsValid && bitId is not null && bitTitle is not null && position is not null && default1 is not null && description is not null)
                bits.Add(context.Sources.Add(new ControlBit(bitId, bitTitle, (int)System.Math.Min(position.Value, 1024), default1.Value, description), bit.Location));
        }
        return bits;
    }

    public static ControlField? Read(YamlNode node, Context context)
    {
        var reader = MappingReader.Open(node, context.Source, context.Diagnostics, "a control field", Keys);
        if (reader is null) return null;
        var id = reader.Id();
        var title = reader.String("title");
        var section = reader.String("section");
        var field = reader.Id("field");
        var msr = reader.MsrName("capability-msr");
        var trueMsr = reader.MsrName("true-capability-msr", required: false);
        var enabledBy = reader.Has("enabled-by") ? ExistenceParser.ParseReference(reader, "enabled-by", context) : null;
        var bits = ReadBits(reader, context);
        if (id is null || title is null || section is null || field is null || msr is null) return null;
        return context.Sources.Add(new ControlField(id, title, section, field, msr, trueMsr, enabledBy, bits.ToEquatableArray(), context.Revision), reader.Location);
    }
}
