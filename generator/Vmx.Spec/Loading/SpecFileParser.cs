using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vmx.Spec.Loading;

/// <summary>Parses one spec file into a <see cref="SpecFragment"/>, checking every key and value against the
/// format in spec/README.md. Never throws for bad input: every problem becomes a located diagnostic.</summary>
public static class SpecFileParser
{
    internal static readonly string[] FileKeys =
        { "sdm-revision", "vmcs-groups", "control-fields", "layouts", "enums", "msrs", "exit-reasons", "instruction-errors", "cpuid", "check-groups", "control-bits" };

    private static readonly Dictionary<string, FieldWidth> Widths = new()
    {
        ["16"] = FieldWidth.Bits16, ["32"] = FieldWidth.Bits32, ["64"] = FieldWidth.Bits64, ["natural"] = FieldWidth.Natural,
    };

    private static readonly Dictionary<string, FieldType> Types = new()
    {
        ["control"] = FieldType.Control, ["exit-information"] = FieldType.ExitInformation,
        ["guest-state"] = FieldType.GuestState, ["host-state"] = FieldType.HostState,
    };

    public static SpecFragment Parse(string path, string text)
    {
        var diagnostics = new DiagnosticBag();
        var source = new SourceMap(path);
        var sources = new SourceTable();
        var builder = new FragmentBuilder();
        var root = LoadRoot(path, text, diagnostics);
        if (root is not null)
        {
            var file = MappingReader.Open(root, source, diagnostics, "a spec file", FileKeys);
            if (file is not null)
            {
                var revision = file.String("sdm-revision") ?? "";
                var context = new Context(source, sources, diagnostics, revision);
                foreach (var node in file.List("vmcs-groups", required: false)) ReadVmcsGroup(node, context, builder.VmcsFields);
                foreach (var node in file.List("control-fields", required: false)) Add(builder.ControlFields, ControlReader.Read(node, context));
                foreach (var node in file.List("layouts", required: false)) Add(builder.Layouts, LayoutReader.ReadLayout(node, context));
                foreach (var node in file.List("enums", required: false)) Add(builder.Enums, LayoutReader.ReadEnum(node, context));
                foreach (var node in file.List("msrs", required: false)) Add(builder.Msrs, TableReader.ReadMsr(node, context));
                foreach (var node in file.List("exit-reasons", required: false)) Add(builder.ExitReasons, TableReader.ReadExitReason(node, context));
                foreach (var node in file.List("instruction-errors", required: false)) Add(builder.Errors, TableReader.ReadError(node, context));
                foreach (var node in file.List("cpuid", required: false)) Add(builder.Cpuid, CpuidReader.Read(node, context));
                foreach (var node in file.List("check-groups", required: false)) CheckReader.ReadGroup(node, context, builder.Checks);
                foreach (var node in file.List("control-bits", required: false)) ControlReader.ReadAdditions(node, context, builder.ControlBitAdditions);
            }
        }
        var content = new SpecModel(builder.VmcsFields.ToEquatableArray(), builder.ControlFields.ToEquatableArray(),
            builder.Layouts.ToEquatableArray(), builder.Enums.ToEquatableArray(), builder.Msrs.ToEquatableArray(),
            builder.ExitReasons.ToEquatableArray(), builder.Errors.ToEquatableArray()) {
                Cpuid = builder.Cpuid.ToEquatableArray(), Checks = builder.Checks.ToEquatableArray(),
                ControlBitAdditions = builder.ControlBitAdditions.ToEquatableArray(),
            };
        return new SpecFragment(path, content, sources, diagnostics.Items.ToEquatableArray());
    }

    private static void Add<T>(List<T> list, T? item) where T : class
    {
        if (item is not null) list.Add(item);
    }

    private static YamlNode? LoadRoot(string path, string text, DiagnosticBag diagnostics)
    {
        if (!YamlGuard.Check(path, text, diagnostics)) return null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 1) return stream.Documents[0].RootNode;
            diagnostics.Add(DiagnosticRule.MalformedYaml, SourceLocation.FileStart(path),
                $"expected exactly one YAML document, found {stream.Documents.Count}");
        }
        catch (YamlException e)
        {
            var start = e.Start;
            var location = new SourceLocation(path, (int)start.Line, (int)start.Column, (int)e.End.Line, (int)e.End.Column,
                (int)start.Index, (int)Math.Max(start.Index, e.End.Index));
            diagnostics.Add(DiagnosticRule.MalformedYaml, location, Innermost(e).Message);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet reports some broken inputs (seen: mutated anchors and flow collections) with a plain
            // exception and no position; still a located error, at the file, never a crash.
            diagnostics.Add(DiagnosticRule.MalformedYaml, SourceLocation.FileStart(path), e.Message);
        }
        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is YamlException inner ? Innermost(inner) : e;

    internal static readonly string[] GroupKeys = { "name", "section", "width", "type", "fields" };
    internal static readonly string[] FieldKeys = { "id", "title", "encoding", "index", "exists", "layout", "description" };

    private static void ReadVmcsGroup(YamlNode node, Context context, List<VmcsField> fields)
    {
        var group = MappingReader.Open(node, context.Source, context.Diagnostics, "a VMCS field group", GroupKeys);
        if (group is null) return;
        var name = group.String("name");
        var section = group.String("section");
        var width = group.Choice("width", Widths);
        var type = group.Choice("type", Types);
        var entries = group.List("fields");
        if (!group.IsValid || name is null || section is null || width is null || type is null) return;
        foreach (var entry in entries)
        {
            var field = MappingReader.Open(entry, context.Source, context.Diagnostics, "a VMCS field", FieldKeys);
            if (field is null) continue;
            var id = field.Id();
            var title = field.String("title");
            var encoding = field.Hex("encoding");
            var index = field.Number("index");
            var exists = field.Has("exists") ? ExistenceParser.Parse(field, "exists", context) : ExistenceCondition.Always;
            var description = field.String("description");
            var layout = field.Has("layout") ? field.Id("layout") : null;
            if (!field.IsValid || id is null || title is null || encoding is null || index is null || exists is null || description is null)
                continue;
            if (encoding > uint.MaxValue)
            {
                context.Diagnostics.Add(DiagnosticRule.ValueDoesNotFit, field.LocationOf("encoding"), $"encoding 0x{encoding:X} of '{id}'", "32 bits");
                continue;
            }
            fields.Add(context.Sources.Add(new VmcsField(id, title, (uint)encoding.Value, (int)Math.Min(index.Value, int.MaxValue), width.Value,
                type.Value, exists, description, name, section, context.Revision) { Layout = layout }, field.Location));
        }
    }

    private sealed class FragmentBuilder
    {
        public readonly List<VmcsField> VmcsFields = new();
        public readonly List<ControlField> ControlFields = new();
        public readonly List<Layout> Layouts = new();
        public readonly List<EnumDefinition> Enums = new();
        public readonly List<Msr> Msrs = new();
        public readonly List<ExitReason> ExitReasons = new();
        public readonly List<InstructionError> Errors = new();
        public readonly List<CpuidBits> Cpuid = new();
        public readonly List<VmEntryCheck> Checks = new();
        public readonly List<ControlBitAddition> ControlBitAdditions = new();
    }
}

internal sealed record Context(SourceMap Source, SourceTable Sources, DiagnosticBag Diagnostics, string Revision);
