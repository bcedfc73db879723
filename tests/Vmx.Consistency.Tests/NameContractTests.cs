using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Vmx.Spec.Lint;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>The naming contract (VMX0060) is only as good as its list of names: every identifier the generated C
/// headers and C# types define must be one the name lint derives or lists as the generator's own, or a clash
/// through it would go unreported.</summary>
public class NameContractTests
{
    private static readonly Regex CDefinitions = new(
        @"#define\s+(?<n>\w+)|static inline [^(=;]*?\b(?<n>\w+)\(|\b(?:struct|enum)\s+(?<n>\w+)\s*\{|^\s*(?<n>[A-Z][A-Z0-9_]*)\s*=|\{\s*(?<n>[A-Z][A-Z0-9_]*)\s*=|,\s*(?<n>[A-Z][A-Z0-9_]*)\s*=",
        RegexOptions.Multiline);

    [Fact]
    public void Every_identifier_of_the_C_headers_is_covered_by_the_name_lint()
    {
        var names = NameLint.Names(Repo.LoadSpec().Model)["C"];
        var defined = Directory.GetFiles(Repo.GeneratedHeaders, "*.h")
            .SelectMany(p => CDefinitions.Matches(StripComments(File.ReadAllText(p))).Select(m => m.Groups["n"].Value))
            .Distinct().ToList();

        Assert.True(defined.Count > 2000, $"only {defined.Count} identifiers found: the scan is broken");
        var uncovered = defined.Where(n => !names.Contains(n)).ToList();
        Assert.True(uncovered.Count == 0, "not covered by NameLint: " + string.Join(", ", uncovered.Take(30)));
    }

    [Fact]
    public void Every_member_of_the_generated_layout_structs_and_enums_is_covered_by_the_name_lint()
    {
        var names = NameLint.Names(Repo.LoadSpec().Model);
        var checkedTypes = 0;
        foreach (var type in typeof(LayoutCatalog).Assembly.GetTypes().Where(t => t.IsPublic && t.Namespace == "Vmx"))
        {
            var kind = type.IsEnum ? "enum" : type.IsValueType && !type.IsGenericType ? "struct" : null;
            var scope = type.IsGenericType && type.Name == "Vmcs`1" ? "C#:struct Vmcs<T>" : kind is null ? null : $"C#:{kind} {type.Name}";
            if (scope is null || !names.TryGetValue(scope, out var covered)) continue;
            checkedTypes++;
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not ConstructorInfo && !(m is MethodInfo { IsSpecialName: true }) && m.Name != "value__" && !m.Name.StartsWith("op_", StringComparison.Ordinal))
                .Select(m => m.Name).Distinct();
            var uncovered = members.Where(m => !covered.Contains(m)).ToList();
            Assert.True(uncovered.Count == 0, $"{scope}: not covered by NameLint: {string.Join(", ", uncovered)}");
        }
        Assert.True(checkedTypes > 80, $"only {checkedTypes} generated types matched a scope: the scopes are misnamed");
    }

    private static string StripComments(string text) => Regex.Replace(text, @"/\*.*?\*/", " ", RegexOptions.Singleline);
}
