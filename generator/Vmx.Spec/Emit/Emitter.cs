using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Scriban;
using Scriban.Runtime;
using Vmx.Spec.Model;

namespace Vmx.Spec.Emit;

/// <summary>One generated file: a path relative to the output directory and its whole text.</summary>
public sealed record GeneratedFile(string Path, string Content);

public enum OutputKind { CSharp, C, Docs }

/// <summary>Renders the model through the shared Scriban templates. The Roslyn generator and vmxgen both call
/// this, so C# and C are produced from the same model by the same code.</summary>
public static class Emitter
{
    private static readonly (OutputKind Kind, SpecArea Area, string Template, string Output)[] Outputs =
    {
        (OutputKind.CSharp, SpecArea.Fields, "csharp.vmcs", "VmcsFields.g.cs"),
        (OutputKind.CSharp, SpecArea.Controls, "csharp.controls", "Controls.g.cs"),
        (OutputKind.C, SpecArea.Fields, "c.vmcs", "vmcs_fields.h"),
        (OutputKind.C, SpecArea.Controls, "c.controls", "vmx_controls.h"),
        (OutputKind.Docs, SpecArea.Fields, "docs.vmcs", "vmcs-fields.md"),
        (OutputKind.Docs, SpecArea.Controls, "docs.controls", "vmx-controls.md"),
        (OutputKind.CSharp, SpecArea.Enums, "csharp.enums", "Enums.g.cs"),
        (OutputKind.CSharp, SpecArea.Layouts, "csharp.layouts", "Layouts.g.cs"),
        (OutputKind.CSharp, SpecArea.Msrs, "csharp.msrs", "Msrs.g.cs"),
        (OutputKind.CSharp, SpecArea.Exits, "csharp.exits", "ExitReasons.g.cs"),
        (OutputKind.CSharp, SpecArea.Errors, "csharp.errors", "VmInstructionErrors.g.cs"),
        (OutputKind.C, SpecArea.Msrs, "c.msrs", "vmx_msrs.h"),
        (OutputKind.CSharp, SpecArea.Msrs, "csharp.msr_bitmap", "MsrBitmap.g.cs"),
        (OutputKind.C, SpecArea.Msrs, "c.msr_bitmap", "vmx_msr_bitmap.h"),
        (OutputKind.Docs, SpecArea.Msrs, "docs.msr_bitmap", "msr-bitmap.md"),
        (OutputKind.C, SpecArea.Enums, "c.enums", "vmx_enums.h"),
        (OutputKind.C, SpecArea.Layouts, "c.layouts", "vmx_layouts.h"),
        (OutputKind.C, SpecArea.Exits, "c.exits", "vmx_exits.h"),
        (OutputKind.C, SpecArea.Errors, "c.errors", "vmx_errors.h"),
        (OutputKind.Docs, SpecArea.Msrs, "docs.msrs", "msrs.md"),
        (OutputKind.Docs, SpecArea.Layouts, "docs.layouts", "layouts.md"),
        (OutputKind.Docs, SpecArea.Enums, "docs.enums", "enums.md"),
        (OutputKind.Docs, SpecArea.Exits, "docs.exits", "exit-reasons.md"),
        (OutputKind.Docs, SpecArea.Errors, "docs.errors", "instruction-errors.md"),
        (OutputKind.CSharp, SpecArea.Cpuid, "csharp.cpuid", "Cpuid.g.cs"),
        (OutputKind.C, SpecArea.Cpuid, "c.cpuid", "vmx_cpuid.h"),
        (OutputKind.Docs, SpecArea.Cpuid, "docs.cpuid", "cpuid.md"),
        (OutputKind.CSharp, SpecArea.Checks, "csharp.checks", "VmEntryChecks.g.cs"),
        (OutputKind.C, SpecArea.Checks, "c.checks", "vmx_checks.h"),
        (OutputKind.Docs, SpecArea.Checks, "docs.checks", "vm-entry-checks.md"),
    };

    private static readonly ConcurrentDictionary<string, Template> Templates = new();

    /// <summary>Every output of <paramref name="kind"/>. C# areas are rendered from their projections, exactly as the
    /// Roslyn generator renders them step by step; C headers and docs (written by vmxgen, never incrementally)
    /// from the whole model, since a reference page also says who uses an entry.</summary>
    public static IReadOnlyList<GeneratedFile> Emit(SpecModel model, OutputKind kind) =>
        SpecAreas.All.SelectMany(area => EmitArea(kind == OutputKind.CSharp ? SpecAreas.Project(model, area) : model, area, kind)).ToList();

    /// <summary>The outputs of one area, rendered from <paramref name="projection"/> (<see cref="SpecAreas.Project"/>).</summary>
    public static IReadOnlyList<GeneratedFile> EmitArea(SpecModel projection, SpecArea area, OutputKind kind)
    {
        var selected = Outputs.Where(o => o.Kind == kind && o.Area == area).ToList();
        if (selected.Count == 0) return Array.Empty<GeneratedFile>();
        var view = new SpecView(projection);
        return selected.Select(o => new GeneratedFile(o.Output, Render(o.Template, view, kind))).ToList();
    }

    private static string Render(string name, SpecView view, OutputKind kind)
    {
        var template = Templates.GetOrAdd(name, Load);
        var globals = new ScriptObject();
        globals.Import(view);
        globals.Import("pascal", new Func<string, string>(Names.Pascal));
        // The escaping functions of each context a template writes text into; `literal` is the string literal of the
        // output's language.
        globals.Import("xml", new Func<string, string>(Names.XmlComment));
        globals.Import("c_comment", new Func<string, string>(Names.CComment));
        globals.Import("cell", new Func<string, string>(Names.Cell));
        globals.Import("literal", kind == OutputKind.C ? new Func<string, string>(Names.CLiteral) : new Func<string, string>(Names.CsLiteral));
        var context = new TemplateContext { StrictVariables = true, LoopLimit = 0 };
        context.PushGlobal(globals);
        // Templates are written with \n; normalize so output is identical on every OS.
        return template.Render(context).Replace("\r\n", "\n");
    }

    private static Template Load(string name)
    {
        var resource = $"Vmx.Spec.Templates.{name}.scriban";
        using var stream = typeof(Emitter).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"template {resource} is not embedded");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd(), resource);
        if (template.HasErrors)
            throw new InvalidOperationException($"template {name}: " + string.Join("; ", template.Messages));
        return template;
    }
}
