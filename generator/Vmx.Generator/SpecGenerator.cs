using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Vmx.Spec;
using Vmx.Spec.Emit;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;
using OutputKind = Vmx.Spec.Emit.OutputKind;

namespace Vmx.Generator;

/// <summary>Compiles the VMX spec (every *.yaml AdditionalFile below a folder named <c>spec</c>) into C#.
/// Pipeline: file text → per-file fragment (cached per file) → linked model → sources + diagnostics.
/// Every stage's value compares by value, so an unrelated C# edit re-runs nothing.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    public const string ParseStep = "ParseSpecFile";
    public const string LinkStep = "LinkSpec";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var fragments = context.AdditionalTextsProvider
            .Where(IsSpecFile)
            .Select(static (file, token) =>
            {
                var text = file.GetText(token)?.ToString() ?? "";
                return SpecFileParser.Parse(file.Path, text);
            })
            .WithTrackingName(ParseStep);

        var spec = fragments.Collect()
            .Select(static (all, _) => all.IsEmpty ? null : SpecLinker.Link(all))
            .WithTrackingName(LinkStep);

        context.RegisterSourceOutput(spec, static (output, result) =>
        {
            if (result is null) return;
            foreach (var diagnostic in result.Diagnostics) output.ReportDiagnostic(DiagnosticFactory.Create(diagnostic));
            if (result.HasErrors) return;
            try
            {
                foreach (var file in Emitter.Emit(result.Model, OutputKind.CSharp))
                    output.AddSource(file.Path, SourceText.From(file.Content, System.Text.Encoding.UTF8));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Last resort (generator-rules.md): never let an exception escape and silently drop the output.
                output.AddSource("VmxGeneratorFailure.g.cs", $"#error vmxgen failed to emit C#: {e.GetType().Name}: {e.Message.Replace('\n', ' ')}\n");
            }
        });
    }

    private static bool IsSpecFile(AdditionalText file) =>
        file.Path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) &&
        file.Path.Replace('\\', '/').Split('/').Contains("spec");
}
