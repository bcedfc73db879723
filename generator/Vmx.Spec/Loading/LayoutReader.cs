using System.Collections.Generic;
using Vmx.Spec.Model;
using YamlDotNet.RepresentationModel;

namespace Vmx.Spec.Loading;

internal static class LayoutReader
{
    internal static readonly string[] LayoutKeys = { "id", "title", "section", "width", "fields", "description" };
    internal static readonly string[] FieldKeys = { "id", "title", "bits", "enum", "description" };
    internal static readonly string[] EnumKeys = { "id", "title", "section", "values", "description" };
    internal static readonly string[] ValueKeys = { "id", "value", "title", "description" };

    private static readonly Dictionary<string, int> Widths = new() { ["8"] = 8, ["16"] = 16, ["32"] = 32, ["64"] = 64 };

    public static Layout? ReadLayout(YamlNode node, Context context)
    {
        var reader = MappingReader.Open(node, context.Source, context.Diagnostics, "a layout", LayoutKeys);
        if (reader is null) return null;
        var id = reader.Id();
        var title = reader.String("title");
        var section = reader.String("section");
        var width = reader.Choice("width", Widths);
        var description = reader.String("description", required: false) ?? "";
        var fields = new List<LayoutField>();
        foreach (var fieldNode in reader.List("fields"))
        {
            var field = MappingReader.Open(fieldNode, context.Source, context.Diagnostics, "a layout field", FieldKeys);
            if (field is null) continue;
            var fieldId = field.Id();
            var fieldTitle = field.String("title");
            var bits = field.BitRange("bits");
            var enumId = field.Has("enum") ? field.Id("enum") : null;
            var fieldDescription = field.String("description", required: false) ?? "";
            if (field.IsValid && fieldId is not null && fieldTitle is not null && bits is { } range)
                fields.Add(context.Sources.Add(new LayoutField(fieldId, fieldTitle, range.Lsb, range.Msb, enumId, fieldDescription), field.Location));
        }
        if (id is null || title is null || section is null || width is null) return null;
        return context.Sources.Add(new Layout(id, title, section, width.Value, fields.ToEquatableArray(), description, context.Revision), reader.Location);
    }

    public static EnumDefinition? ReadEnum(YamlNode node, Context context)
    {
        var reader = MappingReader.Open(node, context.Source, context.Diagnostics, "an enumeration", EnumKeys);
        if (reader is null) return null;
        var id = reader.Id();
        var title = reader.String("title");
        var section = reader.String("section");
        var values = new List<EnumValue>();
        foreach (var valueNode in reader.List("values"))
        {
            var value = MappingReader.Open(valueNode, context.Source, context.Diagnostics, "an enumeration value", ValueKeys);
            if (value is null) continue;
            var valueId = value.Id();
            var number = value.Number("value");
            var valueTitle = value.String("title");
            var description = value.String("description", required: false) ?? "";
            if (value.IsValid && valueId is not null && number is not null && valueTitle is not null)
                values.Add(context.Sources.Add(new EnumValue(valueId, number.Value, valueTitle, description), value.Location));
        }
        var enumDescription = reader.String("description", required: false) ?? "";
        if (id is null || title is null || section is null) return null;
        return context.Sources.Add(new EnumDefinition(id, title, section, values.ToEquatableArray(), enumDescription, context.Revision), reader.Location);
    }
}
