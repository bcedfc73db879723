using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Vmx.Spec.Emit;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;
using Xunit;

namespace Vmx.Generator.Tests;

public class CachingTests
{
    private static readonly string[] Steps = { SpecGenerator.ParseStep, SpecGenerator.LinkStep };

    private static readonly string[] EmitSteps = SpecAreas.All.Select(SpecGenerator.AreaStep).ToArray();

    private static bool IsReused(IncrementalStepRunReason r) => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;

    /// <summary>Runs the generator over the real spec, applies <paramref name="edit"/> to one file, runs it again.</summary>
    private static GeneratorDriver RunEdited(string file, Func<string, string> edit)
    {
        var compilation = GeneratorHarness.RuntimeCompilation();
        var files = GeneratorHarness.SpecFiles(Path.Combine(GeneratorHarness.RepoRoot, "spec"));
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(compilation);
        var original = files.Single(f => f.Path.Replace('\\', '/').EndsWith(file, StringComparison.Ordinal));
        var text = original.GetText()!.ToString();
        var edited = edit(text);
        Assert.NotEqual(text, edited);
        return driver.ReplaceAdditionalText(original, new InMemoryText(original.Path, edited)).RunGenerators(compilation);
    }

    [Theory]
    [InlineData("comment")]
    [InlineData("blank lines")]
    [InlineData("indented comment")]
    public void An_edit_that_changes_no_fact_renders_nothing(string kind)
    {
        Func<string, string> edit = kind switch
        {
            "comment" => t => "# a reviewer's note\n" + t,
            "blank lines" => t => t.Replace("\n  - name:", "\n\n\n  - name:"),
            _ => t => t.Replace("\n      - id: guest_rip\n", "\n      # RIP, as the SDM names it\n      - id: guest_rip\n"),
        };
        var driver = RunEdited("spec/vmcs/guest-state.yaml", edit);

        // The file was re-parsed (its positions moved), but the facts are equal: no area renders.
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, SpecGenerator.ParseStep));
        Assert.All(Reasons(driver, SpecGenerator.ModelStep), r => Assert.True(IsReused(r), $"{SpecGenerator.ModelStep}: {r}"));
        foreach (var step in EmitSteps)
            Assert.All(Reasons(driver, step), r => Assert.True(IsReused(r), $"{step}: {r}"));
    }

    [Theory]
    [InlineData("spec/exits/exit-reasons.yaml", "title: CPUID", "title: CPUID instruction", SpecArea.Exits)]
    [InlineData("spec/errors/instruction-errors.yaml", "VMCALL executed in VMX root operation", "VMCALL in VMX root operation", SpecArea.Errors)]
    [InlineData("spec/vmcs/guest-state.yaml", "description: Guest stack pointer.", "description: The guest stack pointer.", SpecArea.Fields)]
    [InlineData("spec/layouts/registers.yaml", "title: Protection Enable", "title: Protection enable", SpecArea.Layouts)]
    [InlineData("spec/cpuid/cpuid.yaml", "title: CET shadow stacks", "title: CET shadow stack", SpecArea.Cpuid)]
    [InlineData("spec/checks/guest-registers.yaml", "title: Guest CR0 sets", "title: The guest CR0 sets", SpecArea.Checks)]
    public void An_edit_in_one_area_renders_only_that_area(string file, string from, string to, SpecArea area)
    {
        var driver = RunEdited(file, t => ReplaceFirst(t, from, to));

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, SpecGenerator.AreaStep(area)));
        foreach (var other in SpecAreas.All.Where(a => a != area))
            Assert.All(Reasons(driver, SpecGenerator.AreaStep(other)), r => Assert.True(IsReused(r), $"{other}: {r}"));
    }

    [Fact]
    public void A_moved_error_is_reported_at_its_new_place()
    {
        var compilation = GeneratorHarness.RuntimeCompilation();
        var files = GeneratorHarness.SpecFiles(GeneratorHarness.FixtureDirectory);
        var original = files[0];
        var broken = new InMemoryText(original.Path, ReplaceFirst(original.GetText()!.ToString(), "title:", "titel:"));
        var driver = GeneratorHarness.CreateDriver(files).ReplaceAdditionalText(original, broken).RunGenerators(compilation);
        var before = driver.GetRunResult().Diagnostics.Single(d => d.Id == "VMX0002").Location.GetLineSpan().StartLinePosition.Line;

        var moved = new InMemoryText(original.Path, "# moved\n# down\n" + broken.GetText()!.ToString());
        driver = driver.ReplaceAdditionalText(broken, moved).RunGenerators(compilation);

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, SpecGenerator.DiagnosticsStep));
        Assert.Equal(before + 2, driver.GetRunResult().Diagnostics.Single(d => d.Id == "VMX0002").Location.GetLineSpan().StartLinePosition.Line);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' not found");
        return text.Substring(0, at) + to + text.Substring(at + from.Length);
    }

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

    [Fact]
    public void The_model_the_emitters_see_holds_no_source_positions()
    {
        var seen = new HashSet<Type>();
        void Walk(Type type)
        {
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum) return;
            Assert.NotEqual(typeof(Vmx.Spec.SourceLocation), type);
            Assert.NotEqual(typeof(Vmx.Spec.SourceTable), type);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (property.GetIndexParameters().Length == 0) Walk(property.PropertyType);
            foreach (var argument in type.GetGenericArguments()) Walk(argument);
        }
        Walk(typeof(Vmx.Spec.Model.SpecModel));
        Assert.Contains(typeof(Vmx.Spec.Model.LayoutField), seen);
    }
}
