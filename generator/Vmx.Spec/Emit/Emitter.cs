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
    private static readonly (OutputKind Kind, string Template, string Output)[] Outputs =
    {
        (OutputKind.CSharp, "csharp.vmcs", "VmcsFields.g.cs"),
        (OutputKind.CSharp, "csharp.controls", "Controls.g.cs"),
        (OutputKind.C, "c.vmcs", "vmcs_fields.h"),
        (OutputKind.C, "c.controls", "vmx_controls.h"),
        (OutputKind.Docs, "docs.vmcs", "vmcs-fields.md"),
        (OutputKind.Docs, "docs.controls", "vmx-controls.md"),
        (OutputKind.CSharp, "csharp.enums", "Enums.g.cs"),
        (OutputKind.CSharp, "csharp.layouts", "Layouts.g.cs"),
        (OutputKind.CSharp, "csharp.msrs", "Msrs.g.cs"),
        (OutputKind.CSharp, "csharp.exits", "ExitReasons.g.cs"),
        (OutputKind.CSharp, "csharp.errors", "VmInstructionErrors.g.cs"),
        (OutputKind.C, "c.msrs", "vmx_msrs.h"),
        (OutputKind.C, "c.enums", "vmx_enums.h"),
        (OutputKind.C, "c.layouts", "vmx_layouts.h"),
        (OutputKind.C, "c.exits", "vmx_exits.h"),
        (OutputKind.C, "c.errors", "vmx_errors.h"),
        (OutputKind.Docs, "docs.msrs", "msrs.md"),
        (OutputKind.Docs, "docs.layouts", "layouts.md"),
        (OutputKind.Docs, "docs.enums", "enums.md"),
        (OutputKind.Docs, "docs.exits", "exit-reasons.md"),
        (OutputKind.Docs, "docs.errors", "instruction-errors.md"),
    };

    private static readonly ConcurrentDictionary<string, Template> Templates = new();

    public static IReadOnlyList<GeneratedFile> Emit(SpecModel model, OutputKind kind)
    {
        var view = new SpecView(model);
        return Outputs.Where(o => o.Kind == kind).Select(o => new GeneratedFile(o.Output, Render(o.Template, view))).ToList();
    }

    private static string Render(string name, SpecView view)
    {
        var template = Templates.GetOrAdd(name, Load);
        var globals = new ScriptObject();
        globals.Import(view);
        globals.Import("pascal", new Func<string, string>(Names.Pascal));
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
