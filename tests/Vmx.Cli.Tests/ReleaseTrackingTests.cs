using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Vmx.Cli;
using Vmx.Spec.Lint;
using Xunit;

namespace Vmx.Cli.Tests;

/// <summary>generator/Vmx.Generator/AnalyzerReleases.{Shipped,Unshipped}.md list exactly the descriptors, with their
/// category and severity. The Roslyn release-tracking analyzer checks the files' format but cannot see descriptors
/// built from Vmx.Spec's list, so this test is what fails when a descriptor is added, changed or dropped untracked.</summary>
public class ReleaseTrackingTests
{
    private static string ReleaseFile(string name) => Path.Combine(Cli.RepoRoot, "generator", "Vmx.Generator", name);

    /// <summary>The rows of every "### New Rules" table: Rule ID | Category | Severity | Notes.</summary>
    internal static List<(string Id, string Category, string Severity)> NewRules(string text)
    {
        var rows = new List<(string, string, string)>();
        var inNewRules = false;
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("#", StringComparison.Ordinal)) inNewRules = line == "### New Rules";
            if (!inNewRules || !line.StartsWith("VMX", StringComparison.Ordinal)) continue;
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            Assert.True(cells.Length == 4, $"a row has Rule ID | Category | Severity | Notes: {line}");
            rows.Add((cells[0], cells[1], cells[2]));
        }
        return rows;
    }

    private static IEnumerable<DiagnosticRule> Descriptors => DiagnosticRule.All.Concat(ToolDiagnostics.All);

    [Fact]
    public void Release_files_list_every_descriptor_once_with_its_category_and_severity()
    {
        var shipped = NewRules(File.ReadAllText(ReleaseFile("AnalyzerReleases.Shipped.md")));
        var unshipped = NewRules(File.ReadAllText(ReleaseFile("AnalyzerReleases.Unshipped.md")));
        var tracked = shipped.Concat(unshipped).ToList();
        Assert.Equal(tracked.Count, tracked.Select(r => r.Id).Distinct().Count());

        var expected = Descriptors.Select(r => (r.Id, r.Category, r.Severity.ToString())).OrderBy(r => r.Id, StringComparer.Ordinal);
        Assert.Equal(expected, tracked.OrderBy(r => r.Id, StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_added_in_this_release_are_unshipped()
    {
        var unshipped = NewRules(File.ReadAllText(ReleaseFile("AnalyzerReleases.Unshipped.md"))).Select(r => r.Id);
        Assert.Equal(new[] { "VMX0023", "VMX0024", "VMX0025", "VMX0026", "VMX0040", "VMX0041", "VMX0042", "VMX0060", "VMX0061", "VMX0100", "VMX0101", "VMX0110", "VMX0111", "VMX0112", "VMX0113", "VMX0114", "VMX0130", "VMX9010", "VMX9011" }, unshipped);
    }

    [Fact]
    public void A_row_with_a_wrong_severity_is_told_apart()
    {
        // The parser the test relies on reads the severity column, so a mismatch there cannot slip through.
        var rows = NewRules("### New Rules\n\nRule ID | Category | Severity | Notes\n--------|----------|----------|-------\nVMX0001 | VmxSpec.Syntax | Warning | x\n");
        Assert.Equal(new[] { ("VMX0001", "VmxSpec.Syntax", "Warning") }, rows);
        Assert.NotEqual(DiagnosticRule.MalformedYaml.Severity.ToString(), rows[0].Severity);
    }
}
