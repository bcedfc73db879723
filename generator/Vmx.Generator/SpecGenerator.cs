using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Vmx.Spec;
using Vmx.Spec.Emit;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;
using Vmx.Spec.Model;
using OutputKind = Vmx.Spec.Emit.OutputKind;

namespace Vmx.Generator;

/// <summary>Compiles the VMX spec (every *.yaml AdditionalFile below a folder named <c>spec</c>) into C#.
/// Pipeline: file text → per-file fragment (cached per file) → linked result → its diagnostics (reported by their own
/// output) and its position-free model → one projection per area → that area's sources. Every stage's value compares
/// by value, so an unrelated C# edit re-runs nothing, a comment re-renders nothing, and an edit in one area renders
/// only that area. No exception escapes
/// (generator-rules.md rule 1): parse and link turn one into diagnostic VMX0019, the output step into #error.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    public const string ParseStep = "ParseSpecFile";
    public const string LinkStep = "LinkSpec";
    public const string DiagnosticsStep = "SpecDiagnostics";
    public const string ModelStep = "SpecModel";

    /// <summary>The MSBuild property (made visible with <c>CompilerVisibleProperty</c>) by which a project says it must
    /// have spec files; without it a project that references the generator but has no spec stays quiet.</summary>
    public const string SpecRequiredProperty = "build_property.VmxSpecRequired";

    /// <summary>AdditionalFiles metadata (made visible with <c>CompilerVisibleItemMetadata</c>) that the Vmx.Generator
    /// package sets to true on the spec it bundles. When any file has it, every other spec file is the consumer's
    /// overlay, linked after the bundled spec so that a clash is reported at the consumer's entry.</summary>
    public const string BundledMetadata = "build_metadata.AdditionalFiles.VmxSpecBundled";

    /// <summary>A parsed spec file and whether it is the package's bundled spec. Compares by value.</summary>
    internal sealed record SpecFile(SpecFragment Fragment, bool Bundled);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var fragments = context.AdditionalTextsProvider
            .Where(IsSpecFile)
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (input, token) =>
            {
                var (file, options) = input;
                var bundled = options.GetOptions(file).TryGetValue(BundledMetadata, out var value) &&
                              string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
                return new SpecFile(Parse(file.Path, () => SpecText.Of(file.GetText(token)), token), bundled);
            })
            .WithTrackingName(ParseStep);

        var required = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(SpecRequiredProperty, out var value) &&
                                           string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase));

        // A compilation that references Vmx.Runtime already has the bundled spec's types: it gets C# for the overlay's
        // entries only, joined to the runtime's (re-emitting the rest would shadow them, CS0436).
        var besideRuntime = context.CompilationProvider
            .Select(static (compilation, _) => compilation.ReferencedAssemblyNames.Any(a => a.Name == RuntimeAssemblyName))
            .WithTrackingName(RuntimeStep);

        var spec = fragments.Collect().Combine(required.Combine(besideRuntime))
            .Select(static (input, token) => Link(input.Left, input.Right.Left, input.Right.Right, token))
            .WithTrackingName(LinkStep);

        // Diagnostics are their own output (System.Text.Json's generator does the same): they carry positions, the
        // model does not, so moving an entry re-reports its diagnostics without re-rendering any source.
        var diagnostics = spec.Combine(besideRuntime)
            .Select(static (input, _) => input.Left is null ? EquatableArray<SpecDiagnostic>.Empty
                : input.Right ? input.Left.Diagnostics.Concat(WithoutCSharp(input.Left)).ToEquatableArray()
                : input.Left.Diagnostics)
            .WithTrackingName(DiagnosticsStep);
        context.RegisterSourceOutput(diagnostics, static (output, items) =>
        {
            foreach (var diagnostic in items) output.ReportDiagnostic(DiagnosticFactory.Create(diagnostic));
        });

        // Facts only, and nothing when the spec has errors (an invalid spec produces no code).
        var model = spec.Combine(besideRuntime)
            .Select(static (input, _) => input.Left is null || input.Left.HasErrors
                ? null
                : new EmittedSpec(input.Left.Model, input.Right ? input.Left.Overlay : null))
            .WithTrackingName(ModelStep);
        foreach (var area in SpecAreas.All)
        {
            var projection = model
                .Select((m, _) => m is null ? null
                    : m.Overlay is null ? new AreaProjection(SpecAreas.Project(m.Model, area), false)
                    : SpecAreas.ProjectOverlay(m.Model, m.Overlay, area) is { } own ? new AreaProjection(own, true) : null)
                .WithTrackingName(AreaStep(area));
            context.RegisterSourceOutput(projection, (output, p) => EmitArea(output, p, area));
        }
    }

    /// <summary>VMX0130 for each overlay entry that gets no C# beside Vmx.Runtime (<see cref="SpecAreas.HasOverlayCSharp"/>).</summary>
    private static IEnumerable<SpecDiagnostic> WithoutCSharp(SpecResult result)
    {
        SpecDiagnostic Warn(object entry, string kind, string id, string closed) =>
            new(DiagnosticRule.OverlayWithoutCSharp, result.Sources[entry], kind, id, closed);
        foreach (var c in result.Overlay.ControlFields) yield return Warn(c, "control field", c.Id, "ControlFieldKind and control catalog");
        foreach (var c in result.Overlay.Cpuid) yield return Warn(c, "CPU fact", c.Id, "CpuidCatalog");
        foreach (var c in result.Overlay.Checks) yield return Warn(c, "VM-entry check", c.Id, "VmEntryValidator");
    }

    /// <summary>The simple name of the runtime assembly whose types the overlay's C# joins.</summary>
    public const string RuntimeAssemblyName = "Vmx.Runtime";

    /// <summary>The tracking name of the step that tells whether the compilation references Vmx.Runtime.</summary>
    public const string RuntimeStep = "ReferencesVmxRuntime";

    /// <summary>The linked spec to emit; <see cref="Overlay"/> (its overlay's entries) is set when the compilation
    /// references Vmx.Runtime, and then only those entries are emitted.</summary>
    internal sealed record EmittedSpec(SpecModel Model, SpecModel? Overlay);

    /// <summary>An area's projection and whether it is rendered as overlay C#.</summary>
    internal sealed record AreaProjection(SpecModel Model, bool Overlay);

    /// <summary>The tracking name of an area's step: cached unless that area's facts changed.</summary>
    public static string AreaStep(SpecArea area) => "Emit" + area;

    private static void EmitArea(SourceProductionContext output, AreaProjection? projection, SpecArea area)
    {
        try
        {
            if (projection is null) return;
            foreach (var file in Emitter.EmitArea(projection.Model, area, OutputKind.CSharp, projection.Overlay))
                output.AddSource(file.Path, SourceText.From(file.Content, System.Text.Encoding.UTF8));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Last resort (generator-rules.md): never let an exception escape and silently drop the output.
            output.AddSource($"VmxGeneratorFailure.{area}.g.cs", $"#error vmxgen failed to emit C# ({area}): {e.GetType().Name}: {OneLine(e.Message)}\n");
        }
    }

    /// <summary>Parses one file; an unexpected exception becomes VMX0019 at the file instead of escaping.</summary>
    internal static SpecFragment Parse(string path, Func<string> text, CancellationToken token)
    {
        try
        {
            Faults.BeforeParse?.Invoke(path);
            return SpecFileParser.Parse(path, text());
        }
        catch (Exception e) when (!(e is OperationCanceledException && token.IsCancellationRequested))
        {
            return new SpecFragment(path, SpecModel.Empty, SourceTable.Empty,
                new[] { Internal(path, "parsing", e) }.ToEquatableArray());
        }
    }

    /// <summary>Links the fragments; null when there is no spec and none is required. An unexpected exception becomes
    /// VMX0019 at the first file instead of escaping.</summary>
    /// <summary>Links the files. The overlay is every file but the bundled spec's, when there is a bundled spec or the
    /// compilation references Vmx.Runtime (whose types are the bundled spec's).</summary>
    internal static SpecResult? Link(ImmutableArray<SpecFile> files, bool required, bool besideRuntime, CancellationToken token)
    {
        var fragments = files.Select(f => f.Fragment).ToImmutableArray();
        var hasBase = besideRuntime || files.Any(f => f.Bundled);
        var overlay = new HashSet<string>(files.Where(f => hasBase && !f.Bundled).Select(f => f.Fragment.Path), StringComparer.Ordinal);
        return Link(fragments, required, overlay.Contains, token);
    }

    internal static SpecResult? Link(ImmutableArray<SpecFragment> fragments, bool required, CancellationToken token) =>
        Link(fragments, required, null, token);

    private static SpecResult? Link(ImmutableArray<SpecFragment> fragments, bool required, Func<string, bool>? isOverlay, CancellationToken token)
    {
        if (fragments.IsEmpty)
            return required
                ? new SpecResult(SpecModel.Empty, SourceTable.Empty, new[]
                {
                    new SpecDiagnostic(DiagnosticRule.NoSpecFiles, SourceLocation.FileStart(""), "spec/**/*.yaml"),
                }.ToEquatableArray())
                : null;
        try
        {
            Faults.BeforeLink?.Invoke(fragments);
            return SpecLinker.Link(fragments, isOverlay);
        }
        catch (Exception e) when (!(e is OperationCanceledException && token.IsCancellationRequested))
        {
            var path = fragments.Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal).First();
            return new SpecResult(SpecModel.Empty, SourceTable.Empty, new[] { Internal(path, "linking", e) }.ToEquatableArray());
        }
    }

    private static SpecDiagnostic Internal(string path, string stage, Exception e) =>
        new(DiagnosticRule.InternalError, SourceLocation.FileStart(path), stage, $"{e.GetType().Name}: {OneLine(e.Message)}");

    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    private static bool IsSpecFile(AdditionalText file) =>
        file.Path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) &&
        file.Path.Replace('\\', '/').Split('/').Contains("spec");

    /// <summary>Fault-injection seams for tests (null in production): called before parsing a file and before linking.</summary>
    internal static class Faults
    {
        internal static Action<string>? BeforeParse;
        internal static Action<IReadOnlyList<SpecFragment>>? BeforeLink;
    }
}
