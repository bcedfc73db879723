using System.Collections.Generic;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;
using YamlDotNet.RepresentationModel;

namespace Vmx.Spec.Loading;

/// <summary>The flat tables: MSRs, exit reasons, VM-instruction errors.</summary>
internal static class TableReader
{
    internal static readonly string[] MsrKeys = { "id", "name", "address", "title", "section", "layout", "exists", "description" };
    internal static readonly string[] ExitKeys = { "id", "number", "title", "section", "qualification", "qualification-by-vector", "description" };
    internal static readonly string[] VectorQualificationKeys = { "vector", "layout" };
    internal static readonly string[] ErrorKeys = { "id", "number", "title", "section", "description" };

    public static Msr? ReadMsr(YamlNode node, Context context)
    {
        var reader = MappingReader.Open(node, context.Source, context.Diagnostics, "an MSR", MsrKeys);
        if (reader is null) return null;
        var id = reader.Id();
        var name = reader.MsrName("name");
        var address = reader.Hex("address");
        var title = reader.String("title");
        var section = reader.String("section", required: false) ?? "";
        var layout = reader.Has("layout") ? reader.Id("layout") : null;
        var exists = reader.Has("exists") ? ExistenceParser.Parse(reader, "exists", context) : ExistenceCondition.Always;
        if (exists is { SeamOnly: true })
        {
            context.Diagnostics.Add(DiagnosticRule.WrongValueType, reader.LocationOf("exists"), "exists",
                "'always' or control bits joined by '|' such as 'proc2.enable_ept' (an MSR is never SEAM-only)", "seam");
            exists = null;
        }
        var description = reader.String("description", required: false) ?? "";
        if (!reader.IsValid || id is null || name is null || address is null || title is null || exists is null) return null;
        if (address > uint.MaxValue)
        {
            context.Diagnostics.Add(DiagnosticRule.ValueDoesNotFit, reader.LocationOf("address"), $"MSR address 0x{address:X}", "32 bits");
            return null;
        }
        return context.Sources.Add(new Msr(id, name, (uint)address.Value, title, section, layout, description, context.Revision) { Exists = exists }, reader.Location);
    }

    public static ExitReason? ReadExitReason(YamlNode node, Context context)
    {
        var reader = MappingReader.Open(node, context.Source, context.Diagnostics, "an exit reason", ExitKeys);
        if (reader is null) return null;
        var id = reader.Id();
        var number = SixteenBits(reader, "number", context);
        var title = reader.String("title");
        var section = reader.String("section", required: false) ?? "VMX Basic Exit Reasons";
        var qualification = reader.Has("qualification") ? reader.Id("qualification") : null;
        var byVector = new List<VectorQualification>();
        if (reader.Has("qualification-by-vector"))
        {
            if (reader.Has("qualification"))
                context.Diagnostics.Add(DiagnosticRule.ExclusiveKeys, reader.Location, "an exit reason", "qualification", "qualification-by-vector");
            foreach (var entryNode in reader.List("qualification-by-vector"))
            {
                var entry = MappingReader.Open(entryNode, context.Source, context.Diagnostics, "a qualification by vector", VectorQualificationKeys);
                if (entry is null) continue;
                var vector = entry.Number("vector");
                var layout = entry.Id("layout");
                if (vector > MaxVector)
                {
                    context.Diagnostics.Add(DiagnosticRule.ValueDoesNotFit, entry.LocationOf("vector"), $"vector {vector}",
                        $"bits 7:0 of the VM-exit interruption information (at most {MaxVector})");
                    continue;
                }
                if (entry.IsValid && vector is not null && layout is not null)
                    byVector.Add(context.Sources.Add(new VectorQualification((int)vector.Value, layout), entry.Location));
            }
        }
        var description = reader.String("description", required: false) ?? "";
        if (!reader.IsValid || id is null || number is null || title is null) return null;
        return context.Sources.Add(new ExitReason(id, number.Value, title, section, qualification, description, context.Revision)
        {
            QualificationByVector = byVector.ToEquatableArray(),
        }, reader.Location);
    }

    // A vector is bits 7:0 of the VM-exit interruption information (SDM "Information for VM Exits Due to Vectored Events").
    private const ulong MaxVector = 0xFF;

    public static InstructionError? ReadError(YamlNode node, Context context)
    {
        var reader = MappingReader.Open(node, context.Source, context.Diagnostics, "a VM-instruction error", ErrorKeys);
        if (reader is null) return null;
        var id = reader.Id();
        var number = SixteenBits(reader, "number", context);
        var title = reader.String("title");
        var section = reader.String("section", required: false) ?? "VM Instruction Error Numbers";
        var description = reader.String("description", required: false) ?? "";
        if (!reader.IsValid || id is null || number is null || title is null) return null;
        return context.Sources.Add(new InstructionError(id, number.Value, title, section, description, context.Revision), reader.Location);
    }

    // Basic exit reasons and error numbers are 16-bit quantities (exit reason bits 15:0).
    private static int? SixteenBits(MappingReader reader, string key, Context context)
    {
        var value = reader.Number(key);
        if (value is null) return null;
        if (value <= 0xFFFF) return (int)value.Value;
        context.Diagnostics.Add(DiagnosticRule.ValueDoesNotFit, reader.LocationOf(key), $"{key} {value}", "16 bits");
        return null;
    }
}
