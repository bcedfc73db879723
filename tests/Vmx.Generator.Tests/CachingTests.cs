using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;
using Xunit;

namespace Vmx.Generator.Tests;

public class CachingTests
{
    private static readonly string[] Steps = { SpecGenerator.ParseStep, SpecGenerator.LinkStep };

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void An_unrelated_csharp_edit_leaves_every_spec_step_cached()
    {
        var compilation = GeneratorHarness.RuntimeCompilation();
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.SpecFiles(GeneratorHarness.FixtureDirectory)).RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace User { class Unrelated { } }", GeneratorHarness.ParseOptions));
        driver = driver.RunGenerators(edited);

        foreach (var step in Steps)
            Assert.All(Reasons(driver, step), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
    }

    [Fact]
    public void A_spec_edit_modifies_the_spec_steps()
    {
        var compilation = GeneratorHarness.RuntimeCompilation();
        var files = GeneratorHarness.SpecFiles(GeneratorHarness.FixtureDirectory);
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(compilation);

        var original = files[0];
        var changed = new InMemoryText(original.Path, original.GetText()!.ToString().Replace("Why the last VM exit happened.", "Why the VM exited."));
        driver = driver.ReplaceAdditionalText(original, changed).RunGenerators(compilation);

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, SpecGenerator.ParseStep));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, SpecGenerator.LinkStep));
    }

    [Fact]
    public void Equal_input_gives_equal_models()
    {
        var path = Path.Combine(GeneratorHarness.FixtureDirectory, "mini.yaml");
        var text = File.ReadAllText(path);
        var a = SpecLinker.Link(new[] { SpecFileParser.Parse(path, text) });
        var b = SpecLinker.Link(new[] { SpecFileParser.Parse(path, new string(text.ToCharArray())) });
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Pipeline_models_hold_no_compilation_symbols_or_syntax()
    {
        var forbidden = new[] { typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(SyntaxTree) };
        var seen = new HashSet<Type>();
        void Walk(Type type)
        {
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum) return;
            Assert.DoesNotContain(forbidden, f => f.IsAssignableFrom(type));
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length > 0) continue;
                Walk(property.PropertyType);
            }
            foreach (var argument in type.GetGenericArguments()) Walk(argument);
        }
        Walk(typeof(SpecResult));
        Walk(typeof(SpecFragment));
        Assert.Contains(typeof(Vmx.Spec.Model.VmcsField), seen);
    }
}
