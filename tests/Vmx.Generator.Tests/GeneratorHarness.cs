using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Vmx.Generator;

namespace Vmx.Generator.Tests;

/// <summary>Runs the generator the way the compiler does: a compilation of the runtime's hand-written sources
/// (the abstractions the generated code uses) plus the spec as additional files.</summary>
internal static class GeneratorHarness
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "spec");

    public static ImmutableArray<AdditionalText> SpecFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.yaml", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (AdditionalText)new InMemoryText(p, File.ReadAllText(p))).ToImmutableArray();

    public static CSharpParseOptions ParseOptions { get; } = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    public static CSharpCompilation RuntimeCompilation()
    {
        var runtime = Path.Combine(RepoRoot, "runtime", "Vmx.Runtime");
        var trees = Directory.EnumerateFiles(runtime, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                        !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), ParseOptions, p));
        return CSharpCompilation.Create("Vmx.Runtime", trees, Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorDriver CreateDriver(ImmutableArray<AdditionalText> files) =>
        CSharpGeneratorDriver.Create(new[] { new SpecGenerator().AsSourceGenerator() }, files, ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static (GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(
        ImmutableArray<AdditionalText> files, CSharpCompilation? compilation = null)
    {
        var driver = CreateDriver(files).RunGeneratorsAndUpdateCompilation(compilation ?? RuntimeCompilation(), out var output, out var diagnostics);
        return (driver, output, diagnostics);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "spec")) && File.Exists(Path.Combine(dir.FullName, "build.cake")))
                return dir.FullName;
        throw new InvalidOperationException("repository root (with spec/ and build.cake) not found above " + AppContext.BaseDirectory);
    }
}

internal sealed class InMemoryText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text);
    }

    public override string Path { get; }
    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
