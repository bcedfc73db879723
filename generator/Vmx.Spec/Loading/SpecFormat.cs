using System.Collections.Generic;

namespace Vmx.Spec.Loading;

/// <summary>The keys each kind of entry accepts, by the name the JSON Schema (spec/schema) gives the kind.
/// The loader enforces these lists; a test holds the schema to them so editors and vmxgen never disagree.</summary>
public static class SpecFormat
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> KeysByKind { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["file"] = SpecFileParser.FileKeys,
        ["vmcsGroup"] = SpecFileParser.GroupKeys,
        ["vmcsField"] = SpecFileParser.FieldKeys,
        ["controlField"] = ControlReader.Keys,
        ["controlBit"] = ControlReader.BitKeys,
        ["controlBitAddition"] = ControlReader.AdditionKeys,
        ["layout"] = LayoutReader.LayoutKeys,
        ["layoutField"] = LayoutReader.FieldKeys,
        ["enum"] = LayoutReader.EnumKeys,
        ["enumValue"] = LayoutReader.ValueKeys,
        ["msr"] = TableReader.MsrKeys,
        ["exitReason"] = TableReader.ExitKeys,
        ["vectorQualification"] = TableReader.VectorQualificationKeys,
        ["instructionError"] = TableReader.ErrorKeys,
        ["checkGroup"] = CheckReader.GroupKeys,
        ["check"] = CheckReader.CheckKeys,
    };
}
