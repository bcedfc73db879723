using System.IO;
using System.Linq;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>A spec error reaches a real `dotnet build` of a consumer as a located MSBuild error pointing into
/// the YAML — the generator and its dependencies (YamlDotNet, Scriban) load inside the compiler.</summary>
public class BuildIntegrationTests
{
    /// <summary>Builds a consumer of the generator over <paramref name="specText"/> (one file), or over the
    /// repository's spec together with the runtime's hand-written sources when it is null.</summary>
    private static (int ExitCode, string Output) BuildConsumer(string? specText) =>
        BuildConsumer(specText is null ? null : new[] { ("fields.yaml", System.Text.Encoding.UTF8.GetBytes(specText)) });

    /// <summary>With <paramref name="onTheRealSpec"/>, <paramref name="files"/> are added to the repository's spec and the
    /// runtime's sources; <paramref name="properties"/> go into the project's PropertyGroup.</summary>
    private static (int ExitCode, string Output) BuildConsumer((string Name, byte[] Bytes)[]? files, bool onTheRealSpec = false, string properties = "")
    {
        var specText = files is null || onTheRealSpec ? null : "";
        var dir = Repo.TempDirectory();
        var spec = Path.Combine(dir, "spec");
        Directory.CreateDirectory(spec);
        foreach (var (name, bytes) in files ?? System.Array.Empty<(string, byte[])>()) File.WriteAllBytes(Path.Combine(spec, name), bytes);
        var runtime = Path.Combine(Repo.Root, "runtime", "Vmx.Runtime");
        var items = specText is not null
            ? "<AdditionalFiles Include=\"spec/**/*.yaml\" />"
            : $"<AdditionalFiles Include=\"{Repo.Spec}/**/*.yaml\" /><Compile Include=\"{runtime}/**/*.cs\" Exclude=\"{runtime}/obj/**;{runtime}/bin/**\" />" +
              (files is null ? "" : "<AdditionalFiles Include=\"spec/**/*.yaml\" />");
        var generator = Path.Combine(Repo.Root, "generator", "Vmx.Generator", "Vmx.Generator.csproj");
        File.WriteAllText(Path.Combine(dir, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><TreatWarningsAsErrors>true</TreatWarningsAsErrors>{properties}</PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{generator}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                {items}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Empty.cs"), "namespace Consumer { internal static class Empty { } }\n");
        return Repo.Run("dotnet", "build -nologo -v:q -p:Configuration=Release", dir);
    }

    [Fact]
    public void The_real_spec_builds_the_runtime_sources_without_errors_or_warnings()
    {
        var (exit, output) = BuildConsumer((string?)null);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void A_spec_error_fails_the_build_with_a_located_error()
    {
        // 0x0C00 is a host-state encoding in a guest-state group: VMX0008, reported where the field starts.
        var (exit, output) = BuildConsumer("""
            sdm-revision: "325462-086US"
            vmcs-groups:
              - name: 16-bit guest-state fields
                section: 16-Bit Guest-State Fields
                width: 16
                type: guest-state
                fields:
                  - id: guest_es_selector
                    title: Guest ES selector
                    encoding: 0x0C00
                    index: 0
                    description: Selector of the guest's ES.
            """);

        Assert.NotEqual(0, exit);
        Assert.Matches(@"spec[/\\]fields\.yaml\(8,9\): error VMX0008: encoding 0x0C00 of 'guest_es_selector' says host-state", output);
        Assert.DoesNotContain("CS8784", output);
        Assert.DoesNotContain("CS8785", output);
    }

    [Fact]
    public void A_name_clash_fails_the_build_at_the_clashing_entry_not_in_generated_code()
    {
        // A layout field named value would become a property Value beside the struct's own Value: VMX0060 at the field,
        // and no CS0102 from generated code (an invalid spec produces none).
        var (exit, output) = BuildConsumer("""
            sdm-revision: "325462-086US"
            layouts:
              - id: probe
                title: A probe register
                section: Control Registers
                width: 32
                fields:
                  - id: enable
                    title: Enable
                    bits: 0
                  - id: value
                    title: Value
                    bits: 1
            """);

        Assert.True(exit != 0, output);
        Assert.Matches(@"spec[/\\]fields\.yaml\(11,9\): error VMX0060: layout field 'value' would generate C# name 'Value' \(its property\) in struct Probe", output);
        Assert.DoesNotContain("CS0102", output);
        Assert.DoesNotContain("CS8784", output);
        Assert.DoesNotContain("CS8785", output);
    }

    private static (string, byte[]) File8(string name, string text) => (name, System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Input_that_crashed_or_hung_the_compiler_fails_the_build_with_located_errors()
    {
        var bomb = new System.Text.StringBuilder("sdm-revision: x\nl0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++) bomb.Append($"l{i}: &a{i} [" + string.Join(", ", System.Linq.Enumerable.Repeat($"*a{i - 1}", 10)) + "]\n");
        bomb.Append("? *a9\n: v\n");
        var (exit, output) = BuildConsumer(new[]
        {
            File8("self.yaml", "sdm-revision: x\n? &k [a, *k]\n: v\n"),
            File8("deep.yaml", "sdm-revision: x\nmsrs:\n  - description: " + new string('[', 100_000) + new string(']', 100_000) + "\n"),
            File8("bomb.yaml", bomb.ToString()),
            File8("unclosed.yaml", "sdm-revision: x\nmsrs:\n  - exists: [proc2.virtual_interrupt_delivery\n"),
            File8("alias.yaml", "sdm-revision: x\nmsrs: *nowhere\n"),
            File8("tab.yaml", "sdm-revision: x\n\tmsrs: []\n"),
            File8("control.yaml", "sdm-revision: x\nmsrs: [\u0001]\n"),
            // Not UTF-8: csc decodes it with its fallback code page; the generator recovers the byte.
            ("latin1.yaml", System.Text.Encoding.UTF8.GetBytes("sdm-revision: x\n# \u00E9 caf").Concat(new byte[] { 0xE9, (byte)'\n' }).ToArray()),
            File8("nulltitle.yaml", "sdm-revision: \"325462-086US\"\nexit-reasons:\n  - id: triple_fault\n    number: 2\n    title: ~\n"),
        });

        Assert.True(exit != 0, output);
        Assert.Matches(@"spec[/\\]self\.yaml\(2,3\): error VMX0024: a mapping key must be a plain value", output);
        Assert.Matches(@"spec[/\\]deep\.yaml\(3,79\): error VMX0023: lists and mappings are nested more than 64 deep", output);
        Assert.Matches(@"spec[/\\]bomb\.yaml\(7,10\): error VMX0023: the file expands", output);
        Assert.Matches(@"spec[/\\]unclosed\.yaml\(3,13\): error VMX0001: malformed YAML: this '\[' is never closed", output);
        Assert.Matches(@"spec[/\\]alias\.yaml\(2,7\): error VMX0001: malformed YAML: alias \*nowhere refers to no anchor", output);
        Assert.Matches(@"spec[/\\]tab\.yaml\(2,1\): error VMX0001: malformed YAML: a tab in indentation", output);
        Assert.Matches(@"spec[/\\]latin1\.yaml\(2,8\): error VMX0025: the file holds bytes that are not UTF-8", output);
        Assert.Matches(@"spec[/\\]control\.yaml\(2,8\): error VMX0025: the file holds the character U\+0001", output);
        Assert.Matches(@"spec[/\\]nulltitle\.yaml\(5,12\): error VMX0004: 'title' must be a text, not 'null'", output);
        Assert.DoesNotContain("Stack overflow", output);
        Assert.DoesNotContain("CS8784", output);
        Assert.DoesNotContain("CS8785", output);
    }

    [Fact]
    public void Hostile_text_in_a_spec_builds_without_warnings_in_a_real_build()
    {
        // Comment terminators, a trigraph, XML metacharacters and a two-line description beside the real spec: escaped
        // where each template writes them, so the generated C# (XML docs checked: CS1570 would fail the build) is clean.
        var probe = """
            sdm-revision: "325462-086US"
            layouts:
              - id: hostile_probe
                title: "A & <b> probe */ /* ??) register"
                section: "Control <Registers> & */"
                width: 32
                description: |
                  Two lines of text,
                  the second would escape a /// comment.
                fields:
                  - id: enable
                    title: "Enable & <go>"
                    bits: 0
            """;
        var (exit, output) = BuildConsumer(new[] { ("probe.yaml", System.Text.Encoding.UTF8.GetBytes(probe)) }, onTheRealSpec: true,
            "<GenerateDocumentationFile>true</GenerateDocumentationFile><NoWarn>$(NoWarn);CS1591</NoWarn>");

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("CS1570", output);
    }
}
