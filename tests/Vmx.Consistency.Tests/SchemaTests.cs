using System.IO;
using System.Linq;
using System.Text.Json;
using Vmx.Spec.Loading;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>The JSON Schema that editors use and the loader that vmxgen uses accept the same keys, and every
/// spec file points its editor at the schema.</summary>
public class SchemaTests
{
    private static readonly JsonElement Schema =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Spec, "schema", "vmx-spec.schema.json"))).RootElement;

    private static JsonElement Definition(string kind) => kind == "file" ? Schema : Schema.GetProperty("definitions").GetProperty(kind);

    public static TheoryData<string> Kinds() => new(SpecFormat.KeysByKind.Keys);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_and_loader_accept_the_same_keys(string kind)
    {
        var definition = Definition(kind);
        var schemaKeys = definition.GetProperty("properties").EnumerateObject().Select(p => p.Name).OrderBy(k => k);
        Assert.Equal(SpecFormat.KeysByKind[kind].OrderBy(k => k), schemaKeys);
        Assert.False(definition.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Every_spec_file_references_the_schema()
    {
        var files = Directory.GetFiles(Repo.Spec, "*.yaml", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
            Assert.True(File.ReadLines(file).First() == "# yaml-language-server: $schema=../schema/vmx-spec.schema.json",
                $"{file} does not start with the yaml-language-server schema line");
    }
}
