using System.IO;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>A spec error reaches a real `dotnet build` of a consumer as a located MSBuild error pointing into
/// the YAML — the generator and its dependencies (YamlDotNet, Scriban) load inside the compiler.</summary>
public class BuildIntegrationTests
{
    /// <summary>Builds a consumer of the generator over <paramref name="specText"/> (one file), or over the
    /// repository's spec together with the runtime's hand-written sources when it is null.</summary>
    private static (int ExitCode, string Output) BuildConsumer(string? specText)
    {
        var dir = Repo.TempDirectory();
        var spec = Path.Combine(dir, "spec");
        Directory.CreateDirectory(spec);
        if (specText is not null) File.WriteAllText(Path.Combine(spec, "fields.yaml"), specText);
        var runtime = Path.Combine(Repo.Root, "runtime", "Vmx.Runtime");
        var items = specText is not null
            ? "<AdditionalFiles Include=\"spec/**/*.yaml\" />"
            : $"<AdditionalFiles Include=\"{Repo.Spec}/**/*.yaml\" /><Compile Include=\"{runtime}/**/*.cs\" Exclude=\"{runtime}/obj/**;{runtime}/bin/**\" />";
        var generator = Path.Combine(Repo.Root, "generator", "Vmx.Generator", "Vmx.Generator.csproj");
        File.WriteAllText(Path.Combine(dir, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><TreatWarningsAsErrors>true</TreatWarningsAsErrors></PropertyGroup>
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
        var (exit, output) = BuildConsumer(null);
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
}
