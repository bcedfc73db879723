using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Vmx.Generator;
using YamlDotNet.RepresentationModel;

namespace Vmx.Benchmarks;

/// <summary>What the generator costs inside a build: a warm run over the full spec against the floor of merely
/// parsing the same YAML, a cached run after an unrelated C# edit (what every keystroke in an IDE pays), and a run
/// after a comment-only spec edit (one file re-parsed and re-linted, nothing re-rendered).</summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private ImmutableArray<AdditionalText> _files;
    private string[] _texts = Array.Empty<string>();
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _primed = null!;
    private AdditionalText _guestState = null!;
    private AdditionalText _guestStateCommented = null!;
    private CSharpParseOptions _parse = CSharpParseOptions.Default;

    [GlobalSetup]
    public void Setup()
    {
        var spec = Path.Combine(RepoRoot(), "spec");
        var paths = Directory.GetFiles(spec, "*.yaml", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal).ToArray();
        _texts = paths.Select(File.ReadAllText).ToArray();
        _files = paths.Select((p, i) => (AdditionalText)new Text(p, _texts[i])).ToImmutableArray();
        _compilation = CSharpCompilation.Create("Bench", new[] { CSharpSyntaxTree.ParseText("class A {}", _parse) }, Net100.References.All);
        _edited = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B {}", _parse));
        _primed = NewDriver().RunGenerators(_compilation);
        // A reviewer's comment at the top of one file: every entry below it moves, no fact changes.
        _guestState = _files.Single(f => f.Path.Replace('\\', '/').EndsWith("vmcs/guest-state.yaml", StringComparison.Ordinal));
        _guestStateCommented = new Text(_guestState.Path, "# a reviewer's note\n" + _guestState.GetText()!.ToString());
    }

    private GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(new[] { new SpecGenerator().AsSourceGenerator() }, _files, _parse);

    [Benchmark(Baseline = true, Description = "bare YAML parse of spec/")]
    public int BareYamlParse()
    {
        var nodes = 0;
        foreach (var text in _texts)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            nodes += stream.Documents.Count;
        }
        return nodes;
    }

    [Benchmark(Description = "generator, warm first run")]
    public GeneratorDriver WarmRun() => NewDriver().RunGenerators(_compilation);

    [Benchmark(Description = "generator, cached run after unrelated edit")]
    public GeneratorDriver CachedRun() => _primed.RunGenerators(_edited);

    [Benchmark(Description = "generator, run after a comment-only spec edit")]
    public GeneratorDriver CommentEditRun() => _primed.ReplaceAdditionalText(_guestState, _guestStateCommented).RunGenerators(_compilation);

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "build.cake"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private sealed class Text : AdditionalText
    {
        private readonly SourceText _text;
        public Text(string path, string text) { Path = path; _text = SourceText.From(text); }
        public override string Path { get; }
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
