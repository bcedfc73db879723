using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Vmx.Generator.Tests;

/// <summary>A consumer that references Vmx.Runtime and adds its own YAML: the generator emits only the overlay's
/// entries, joined to the runtime's types, so the consumer's code uses both without CS0436.</summary>
public class OverlayEmissionTests
{
    private const string VendorYaml = """
        sdm-revision: "325462-086US"
        vmcs-groups:
          - name: vendor 64-bit guest-state fields
            section: 64-Bit Guest-State Fields
            width: 64
            type: guest-state
            fields:
              - id: vendor_guest_extra
                title: Vendor guest extra
                encoding: 0x28FE
                index: 127
                description: A field of a newer CPU.
        msrs:
          - id: vendor_vm_cr
            name: VENDOR_VM_CR
            address: 0xC0010114
            title: Vendor VM control
            section: Vendor MSRs
            layout: vendor_vm_cr
            description: A vendor-specific MSR.
        layouts:
          - id: vendor_vm_cr
            title: Vendor VM control
            section: Vendor MSRs
            width: 64
            description: Its bits.
            fields:
              - id: lock
                bits: 3
                title: Lock
                description: Locks the register.
              - id: mode
                bits: 6:5
                title: Mode
                enum: vendor_mode
        enums:
          - id: vendor_mode
            title: Vendor modes
            section: Vendor MSRs
            values:
              - id: off
                value: 0
                title: Off
              - id: strict
                value: 2
                title: Strict
        exit-reasons:
          - id: vendor_exit
            number: 90
            title: Vendor exit
        control-bits:
          - control: proc3
            bits:
              - id: vendor_feature
                title: Vendor feature
                bit: 20
                default1: false
                description: A tertiary control of a newer CPU.
        """;

    private const string Program = """
        using System;
        using System.Collections.Generic;
        using Vmx;

        public static class App
        {
            public static string Run()
            {
                var vmcs = new Vmcs<Store>(new Store());
                vmcs.GuestCr0 = 0x31;                 // the runtime's accessor
                vmcs.VendorGuestExtra = 0x1234;       // the overlay's, through the same accessor
                var cr = new VendorVmCr(0x48);        // bit 3 (lock) and bits 6:5 = 2 (strict)
                return $"{(uint)VmcsField.VendorGuestExtra:X} {vmcs.VendorGuestExtra:X} {vmcs.Accessor.Raw(VmcsField.VendorGuestExtra):X} " +
                       $"{vmcs.GuestCr0:X} {(uint)Msr.VendorVmCr:X} {(uint)Msr.Ia32VmxBasic:X} {cr.Lock} {cr.Mode} " +
                       $"{LayoutCatalog.VendorVmCr.Fields.Count} {EnumCatalog.VendorMode.Values.Count} {(int)ExitReason.VendorExit} " +
                       $"{LayoutCatalog.Cr0.Id} {(ulong)Proc3Controls.VendorFeature:X} {(ulong)(Proc3Controls.VendorFeature | Proc3Controls.EnableHlat):X}";
            }
        }

        public sealed class Store : IVmcsAccessor
        {
            private readonly Dictionary<VmcsField, ulong> _values = new();
            public ulong Raw(VmcsField field) => _values[field];
            public VmxResult Read(VmcsField field, out ulong value) { _values.TryGetValue(field, out value); return VmxResult.Success; }
            public VmxResult Write(VmcsField field, ulong value) { _values[field] = value; return VmxResult.Success; }
        }
        """;

    // Extension blocks are C# 14, which this compiler package (pinned to the oldest SDK compiler the generator must
    // load in) knows as Preview; the consumer's SDK compiler takes them at its default language version.
    private static readonly CSharpParseOptions ConsumerParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);

    private static readonly Lazy<byte[]> RuntimeImage = new(() =>
    {
        var (_, output, _) = GeneratorHarness.Run(GeneratorHarness.SpecFiles(Path.Combine(GeneratorHarness.RepoRoot, "spec")));
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Take(10)));
        return stream.ToArray();
    });

    [Fact]
    public void Beside_the_runtime_only_the_overlay_is_emitted_and_the_consumer_compiles_without_warnings()
    {
        var (result, output) = RunConsumer(bundled: true, overlay: VendorYaml);

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new[] { "Controls.Overlay.g.cs", "Enums.Overlay.g.cs", "ExitReasons.Overlay.g.cs", "Layouts.Overlay.g.cs", "Msrs.Overlay.g.cs", "VmcsFields.Overlay.g.cs" },
            result.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal));
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        // Every type the consumer's code names is the runtime's, except the overlay's own layout and enumeration.
        Assert.Equal("Vmx.Runtime", output.GetTypeByMetadataName("Vmx.VmcsField")!.ContainingAssembly.Name);
        Assert.Equal("App", output.GetTypeByMetadataName("Vmx.VendorVmCr")!.ContainingAssembly.Name);
        Assert.Equal(Accessibility.Internal, output.GetTypeByMetadataName("Vmx.VendorVmCr")!.DeclaredAccessibility);
    }

    [Fact]
    public void The_overlay_accessors_read_and_write_through_the_runtimes_vmcs()
    {
        var (_, output) = RunConsumer(bundled: true, overlay: VendorYaml);

        Assert.Equal("28FE 1234 1234 31 C0010114 480 True Strict 2 2 90 cr0 100000 100002", Execute(output));
    }

    [Fact]
    public void Without_the_bundled_spec_every_file_is_overlay_beside_the_runtime()
    {
        // A spec of one's own without the bundled one (VmxIncludeBundledSpec=false): VMCS fields would need the
        // bundled encoding enumerations, an MSR needs nothing.
        var (result, output) = RunConsumer(bundled: false, overlay: """
            sdm-revision: "325462-086US"
            msrs:
              - id: vendor_vm_cr
                name: VENDOR_VM_CR
                address: 0xC0010114
                title: Vendor VM control
                section: Vendor MSRs
            """, program: """
            using Vmx;
            public static class App
            {
                public static uint Run() => (uint)Msr.VendorVmCr + (uint)Msr.Ia32VmxBasic;
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal("Msrs.Overlay.g.cs", Assert.Single(result.GeneratedSources).HintName);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Beside_the_runtime_a_bundled_spec_without_overlay_emits_nothing()
    {
        var (result, _) = RunConsumer(bundled: true, overlay: null, program: "public static class App { }");

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void A_clash_with_the_bundled_spec_is_still_reported_at_the_overlay_beside_the_runtime()
    {
        var (result, _) = RunConsumer(bundled: true, overlay: VendorYaml.Replace("0x28FE", "0x2800").Replace("index: 127", "index: 0"),
            program: "public static class App { }");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("VMX0006", error.Id);
        Assert.EndsWith(Path.Combine("consumer", "spec", "vendor.yaml"), error.Location.GetLineSpan().Path);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void An_overlay_entry_without_csharp_beside_the_runtime_is_a_located_warning()
    {
        const string cpuid = """
            sdm-revision: "325462-086US"
            cpuid:
              - id: cpuid.80000021.eax.vendor_feature
                leaf: 0x80000021
                register: eax
                bits: 3
                title: Vendor feature
                section: CPUID—CPU Identification
                description: A CPU fact of a newer CPU.
            """;
        var (result, output) = RunConsumer(bundled: true, overlay: VendorYaml + "\n" + cpuid.Replace("sdm-revision: \"325462-086US\"\n", ""));

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal("VMX0130", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("CPU fact 'cpuid.80000021.eax.vendor_feature' gets C headers but no C#: this project references Vmx.Runtime, whose CpuidCatalog an overlay cannot extend",
            warning.GetMessage());
        // At the entry: "cpuid:" follows the vendor YAML's lines, the entry the line after (0-based: their count + 1).
        Assert.Equal(VendorYaml.Split('\n').Length + 1, warning.Location.GetLineSpan().StartLinePosition.Line);
        // The rest of the overlay is emitted as before.
        Assert.Contains(result.GeneratedSources, s => s.HintName == "VmcsFields.Overlay.g.cs");
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Without_the_runtime_the_whole_spec_is_emitted_as_before()
    {
        var (result, _) = RunConsumer(bundled: true, overlay: VendorYaml, program: "public static class App { }", referenceRuntime: false);

        Assert.Contains(result.GeneratedSources, s => s.HintName == "VmcsFields.g.cs");
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.EndsWith(".Overlay.g.cs", StringComparison.Ordinal));
    }

    private static (GeneratorRunResult Result, Compilation Output) RunConsumer(bool bundled, string? overlay, string program = Program,
        bool referenceRuntime = true)
    {
        var files = new List<(AdditionalText File, bool Bundled)>();
        if (bundled)
            files.AddRange(GeneratorHarness.SpecFiles(Path.Combine(GeneratorHarness.RepoRoot, "spec")).Select(f => (f, true)));
        if (overlay is not null)
            files.Add((new InMemoryText(Path.Combine(Path.GetTempPath(), "consumer", "spec", "vendor.yaml"), overlay), false));
        var options = referenceRuntime ? ConsumerParseOptions : GeneratorHarness.ParseOptions;
        var tree = CSharpSyntaxTree.ParseText(program, options);
        // Without the runtime package: the runtime's hand-written half as source, as the runtime project compiles.
        var compilation = referenceRuntime
            ? CSharpCompilation.Create("App", new[] { tree }, Net100.References.All.Append(MetadataReference.CreateFromImage(RuntimeImage.Value)),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            : GeneratorHarness.RuntimeCompilation().AddSyntaxTrees(tree);
        return Drive(compilation, files, options);
    }

    private static (GeneratorRunResult, Compilation) Drive(Compilation compilation, List<(AdditionalText File, bool Bundled)> files,
        CSharpParseOptions options)
    {
        var bundledPaths = files.Where(f => f.Bundled).Select(f => f.File.Path).ToHashSet(StringComparer.Ordinal);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new SpecGenerator().AsSourceGenerator() }, files.Select(f => f.File),
            options, new BundledOptions(bundledPaths));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    private static string Execute(Compilation output)
    {
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Take(10)));
        var context = new AssemblyLoadContext("overlay-consumer", isCollectible: true);
        try
        {
            var runtime = context.LoadFromStream(new MemoryStream(RuntimeImage.Value));
            context.Resolving += (_, name) => name.Name == "Vmx.Runtime" ? runtime : null;
            var app = context.LoadFromStream(new MemoryStream(stream.ToArray()));
            return (string)app.GetType("App")!.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The metadata the package's buildTransitive targets set: VmxSpecBundled=true on the bundled spec.</summary>
    private sealed class BundledOptions(HashSet<string> bundled) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(new Dictionary<string, string>());
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values(new Dictionary<string, string>());
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Values(new Dictionary<string, string>
        {
            [SpecGenerator.BundledMetadata] = bundled.Contains(textFile.Path) ? "true" : "false",
        });

        private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                var found = values.TryGetValue(key, out var v);
                value = v ?? "";
                return found;
            }
        }
    }
}
