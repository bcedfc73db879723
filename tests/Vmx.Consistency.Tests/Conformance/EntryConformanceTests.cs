using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Vmx.Consistency.Tests.Conformance;

/// <summary>The VM-entry checks against Bochs 2.7 (a real VMX implementation): every check vector that changes only
/// VMCS fields is launched on each model by the kernel's entry_checks scenario (driver/tools/entry-checks.sh), and
/// Bochs's outcome is compared with the C# validator's prediction; the C validator's prediction, made in the kernel on
/// the VMCS as VMREAD sees it, is compared with the C# one case by case. Slow (a Bochs boot per model): run by
/// <c>dotnet cake --target=Conformance</c>, left out of Test.</summary>
public class EntryConformanceTests
{
    [Fact]
    public void Every_vector_becomes_a_case_or_is_counted_as_left_out()
    {
        foreach (var model in EntryCaseSet.Models)
        {
            var set = EntryCaseSet.For(model);
            var vectors = Checks.CheckVectors.Checks.Sum(c => c.Pass.Count + c.Fail.Count);
            var controlBits = set.Cases.Count(k => k.Own is null);
            Assert.Equal(vectors, set.Cases.Count - controlBits + set.Skipped.Values.Sum());
            Assert.True(controlBits > 0, model);
            // A flipped bit of an always-active control field breaks its allowed settings: the C# validator must see it
            // (a gated field, e.g. the secondary controls, is ignored while its gate is 0, as in the baseline).
            Assert.All(set.Cases.Where(k => k.Own is null && !k.Id.StartsWith("control/proc2/", StringComparison.Ordinal) && !k.Id.StartsWith("control/vmfunc/", StringComparison.Ordinal)), k => Assert.NotEmpty(Vmx.VmEntryValidator.Validate(k.Vector.Vmcs, k.Vector.Capabilities, Vmx.CpuFacts.Default).Violations));
            Assert.NotEmpty(set.Cases);
            // A fail case changes the baseline, else it could not fail.
            Assert.All(set.Cases.Where(k => !k.Vector.ShouldPass), k => Assert.NotEmpty(k.Writes));
            Assert.All(set.Cases, k => Assert.DoesNotContain(k.Vector.AssignedKinds, kind => kind != Vmx.Spec.Checks.InputKind.Field));
        }
    }

    [Fact]
    public void The_header_names_each_case_with_its_writes()
    {
        var set = EntryCaseSet.For("core2_penryn_t9600");
        var header = EntryCaseSet.Header([set]);
        var first = set.Cases.First(k => k.Writes.Count > 0);
        Assert.Contains($"{{ \"{first.Id}\", 0, {first.Writes.Count} }}", header, StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"{{ 0x{first.Writes[0].Encoding:x}u, 0x{first.Writes[0].Value:x}ull }}"), header, StringComparison.Ordinal);
        Assert.Contains("{ 0x48cu, 1, 0x0ull }", header, StringComparison.Ordinal); // #GP on penryn
    }

    [Fact]
    [Trait("Category", "Conformance")]
    public void Bochs_agrees_with_the_validators_on_every_mutated_launch()
    {
        var build = Path.Combine(Repo.Root, "driver", "build", "conformance");
        Directory.CreateDirectory(build);
        var sets = EntryCaseSet.Models.Select(EntryCaseSet.For).ToList();
        var header = Path.Combine(build, "entry_cases.h");
        File.WriteAllText(header + ".tmp", EntryCaseSet.Header(sets));
        File.Move(header + ".tmp", header, overwrite: true);

        var runs = Path.Combine(build, "runs");
        var (code, output) = Repo.Run("sh", $"driver/tools/entry-checks.sh {header} {runs} {string.Join(' ', EntryCaseSet.Models)}", Repo.Root);
        Assert.True(code == 0, output);
        var walls = Regex.Matches(output, @"^ENTRYRUN model=(\S+) wall=(\S+ boots=\d+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        var summary = new StringBuilder();
        var details = new StringBuilder();
        var failures = new List<string>();
        foreach (var set in sets)
        {
            var serial = File.ReadAllText(Path.Combine(runs, set.Model, "serial.txt"));
            var log = File.Exists(Path.Combine(runs, set.Model, "bochs.log")) ? File.ReadAllLines(Path.Combine(runs, set.Model, "bochs.log")) : [];
            var result = EntryComparison.Compare(set, serial, log);
            var line = $"{set.Model}: {result.Launches} launches, {result.Agree} agree, {result.Documented} documented deviations, " +
                       $"{result.Disagree} disagree, {result.Undecided} not decidable (Bochs failed as a check the validators could not decide, lacking guest memory); C/C# {result.ValidatorsAgree} agree, {result.ValidatorsDisagree} disagree; " +
                       $"{result.Missing} missing, {result.Lost} lost (the machine died: counted as launches that entered); left out {string.Join(", ", set.Skipped.Select(s => $"{s.Key} {s.Value}"))}; " +
                       $"wall {walls.GetValueOrDefault(set.Model, "?")}";
            summary.AppendLine(line);
            details.AppendLine("## " + set.Model);
            foreach (var d in result.Lines) details.AppendLine(d);
            if (result.Disagree > 0 || result.ValidatorsDisagree > 0 || result.Missing > 0 || result.Launches == 0) failures.Add(line);
        }
        var artifacts = Path.Combine(Repo.Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        File.WriteAllText(Path.Combine(artifacts, "conformance.txt"), summary + "\n" + details);
        Assert.True(failures.Count == 0, summary + "\n" + details);
    }
}
