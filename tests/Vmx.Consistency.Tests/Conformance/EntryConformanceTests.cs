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
        foreach (var model in EntryCaseSet.AllModels)
        {
            var set = EntryCaseSet.For(model);
            var vectors = Checks.CheckVectors.Checks.Sum(c => c.Pass.Count + c.Fail.Count);
            var skippedVectors = set.Skipped.Where(s => s.Key is "msr" or "fact" or "memory").Sum(s => s.Value);
            Assert.InRange(set.Cases.Count(k => k.Kind == "vector") + skippedVectors, vectors - set.Skipped.GetValueOrDefault("host_pass"), vectors);
            Assert.True(set.Cases.Count >= 2000, $"{model}: {set.Cases.Count} cases");
            Assert.All(EntryCaseSet.Kinds, kind => Assert.Contains(set.Cases, k => k.Kind == kind));
            Assert.Equal(set.Cases.Count, set.Cases.Select(k => k.Id).Distinct().Count());
            // A flipped bit of an always-active control field breaks its allowed settings: the C# validator must see it
            // (a gated field, e.g. the secondary controls, is ignored while its gate is 0, as in the baseline).
            Assert.All(set.Cases.Where(k => k.Kind == "control" && !k.Id.StartsWith("control/proc2/", StringComparison.Ordinal) && !k.Id.StartsWith("control/vmfunc/", StringComparison.Ordinal)),
                k => Assert.NotEmpty(VmEntryValidator.Validate(k.Vmcs, k.Capabilities, EntryCaseSet.BochsFacts).Violations));
            // Every case but a pass vector changes the baseline.
            Assert.All(set.Cases.Where(k => k.Kind != "vector"), k => Assert.NotEmpty(k.Writes));
            // No case that changes host state is expected to enter: its VM exit would load that host state.
            Assert.All(set.Cases.Where(k => k.Kind != "vector" && k.Writes.Any(w => EntryCaseSet.IsHostState(w.Encoding))),
                k => Assert.NotEmpty(VmEntryValidator.Validate(k.Vmcs, k.Capabilities, EntryCaseSet.BochsFacts).Violations));
        }
    }

    [Fact]
    public void Sweeps_write_the_values_the_issue_names()
    {
        var set = EntryCaseSet.For("corei7_skylake_x");
        ulong Written(string id, uint encoding) => set.Cases.Single(k => k.Id == id).Vmcs.Fields.Single(f => f.Field.Encoding == encoding).Value;
        // EPT pointer 0x201A; MAXPHYADDR 40 on Bochs: the last page below 2^40 starts at 0xFF_FFFF_F000.
        Assert.Equal(0xFF_FFFF_F000UL, Written("address/eptp_below_maxphyaddr/top_page", 0x201A));
        Assert.Equal(0UL, Written("address/eptp_below_maxphyaddr/zero", 0x201A));
        Assert.Equal(0x10_0800UL, Written("address/eptp_below_maxphyaddr/misaligned", 0x201A));
        Assert.Equal(ulong.MaxValue, Written("address/eptp_below_maxphyaddr/all_ones", 0x201A));
        // Host FS base 0x6C06 with 48-bit linear addresses.
        var fs = set.Cases.Where(k => k.Kind == "canonical" && k.Writes.Any(w => w.Encoding == 0x6C06)).ToList();
        Assert.Contains(fs, k => k.Writes.Contains((0x6C06u, 0x0000_8000_0000_0000UL)));
        Assert.Contains(fs, k => k.Writes.Contains((0x6C06u, 0xFFFF_7FFF_FFFF_FFFFUL)));
        Assert.Contains(fs, k => k.Writes.Contains((0x6C06u, 0x8000_0000_0000_0000UL)));
        // Skylake's CR0_FIXED0 0x80000021 (PG, NE, PE) and CR4_FIXED1 0x3727ff: guest CR0 (0x6800) loses PE; guest CR4
        // (0x6804) gains bit 11 (UMIP: not allowed) and bit 63.
        Assert.Contains(set.Cases, k => k.Id == "cr_fixed/guest_cr0/bit0/clear");
        Assert.DoesNotContain(set.Cases, k => k.Id == "cr_fixed/guest_cr0/bit1/clear");
        Assert.Contains(set.Cases, k => k.Id == "cr_fixed/guest_cr4/bit11/set");
        Assert.Contains(set.Cases, k => k.Id == "cr_fixed/guest_cr4/bit63/set");
        Assert.DoesNotContain(set.Cases, k => k.Id == "cr_fixed/guest_cr4/bit10/set");
        // Guest CS access rights (0x4816): all 32 bits, each alone.
        Assert.Equal(32, set.Cases.Count(k => k.Id.StartsWith("access_rights/guest_cs_access_rights/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Combinations_replay_from_their_seed()
    {
        static List<string> Combos(int seed) => EntryCaseSet.For("core2_penryn_t9600", seed).Cases
            .Where(k => k.Kind == "combo").Select(k => string.Join("+", k.Parts!)).ToList();
        var first = Combos(7);
        Assert.Equal(first, Combos(7));
        Assert.NotEqual(first, Combos(8));
        Assert.All(first, c => Assert.InRange(c.Split('+').Length, 2, 4));
    }

    [Fact]
    public void The_vmfail_map_names_real_checks_once_per_message()
    {
        var map = VmfailMap.Load();
        Assert.NotEmpty(map);
        var ids = Checks.CheckVectors.Checks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(map, m => Assert.NotEmpty(m.Value));
        Assert.All(map.SelectMany(m => m.Value), id => Assert.Contains(id, ids));
        Assert.All(map.Keys, m => Assert.StartsWith("VM", m, StringComparison.Ordinal));
    }

    [Fact]
    public void The_vmfail_map_contradictions_are_found()
    {
        var run = new EntryComparison();
        run.Vmfails["VMFAIL: made up"] = [new HashSet<string>(["a"])];
        run.Vmfails["VMFAIL: known"] = [new HashSet<string>(["b"]), new HashSet<string>(["c", "d"]), []];
        run.Vmfails["VMFAIL: shared"] = [new HashSet<string>(["e", "f"]), new HashSet<string>(["f", "g"])];
        var map = new Dictionary<string, SortedSet<string>> { ["VMFAIL: known"] = new(["c"]), ["VMFAIL: shared"] = new(["f"]) };
        var problems = VmfailMap.Contradictions([run], map);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("not in", StringComparison.Ordinal) && p.Contains("made up", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("violated [b]", StringComparison.Ordinal));
        run.Vmfails["VMFAIL: exact"] = [new HashSet<string>(["h", "i"]), new HashSet<string>(["i"]), new HashSet<string>(["j"])];
        // The fewest checks meeting every launch: a launch with one check forces it, a shared check covers two.
        var observed = VmfailMap.Observed([run]);
        Assert.Equal(new[] { "i", "j" }, observed["VMFAIL: exact"]);
        Assert.Equal(new[] { "f" }, observed["VMFAIL: shared"]);
        Assert.Equal(new[] { "b", "c" }, observed["VMFAIL: known"]);
        run.Vmfails["VMFAIL: apart"] = [new HashSet<string>(["k", "l"]), new HashSet<string>(["m", "n"])];
        Assert.Equal(new[] { "k", "m" }, VmfailMap.Observed([run])["VMFAIL: apart"]);
        Assert.Equal("VMFAIL: VMCS guest CR0 # bad #", VmfailMap.Normalize(" VMFAIL: VMCS guest CR0 0x80000021 bad 17 "));
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
        var models = System.Environment.GetEnvironmentVariable("VMX_CONFORMANCE_MODELS") is { Length: > 0 } list
            ? list.Split(',', ' ') : EntryCaseSet.AllModels;
        var seed = int.TryParse(System.Environment.GetEnvironmentVariable("VMX_CONFORMANCE_SEED"), out var s) ? s : EntryCaseSet.DefaultSeed;
        var sets = models.AsParallel().AsOrdered().Select(m => EntryCaseSet.For(m, seed)).ToList();
        var header = Path.Combine(build, "entry_cases.h");
        File.WriteAllText(header + ".tmp", EntryCaseSet.Header(sets));
        File.Move(header + ".tmp", header, overwrite: true);

        var runs = Path.Combine(build, "runs");
        var (code, output) = Repo.Run("bash", $"driver/tools/entry-checks.sh {header} {runs} {string.Join(' ', models)}", Repo.Root);
        Assert.True(code == 0, output);
        var walls = Regex.Matches(output, @"^ENTRYRUN model=(\S+) wall=(\S+ boots=\d+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        var summary = new StringBuilder();
        var details = new StringBuilder();
        var failures = new List<string>();
        var results = new List<EntryComparison>();
        foreach (var set in sets)
        {
            var serial = File.ReadAllText(Path.Combine(runs, set.Model, "serial.txt"));
            var log = File.Exists(Path.Combine(runs, set.Model, "bochs.log")) ? File.ReadAllLines(Path.Combine(runs, set.Model, "bochs.log")) : [];
            var result = EntryComparison.Compare(set, serial, log);
            results.Add(result);
            var line = $"{set.Model}: {result.Launches} launches, {result.Agree} agree, {result.Documented} documented deviations, " +
                       $"{result.Disagree} disagree, {result.Undecided} not decidable (Bochs failed as a check the validators could not decide, lacking guest memory); C/C# {result.ValidatorsAgree} agree, {result.ValidatorsDisagree} disagree; " +
                       $"{result.FailedLaunches} failed launches exercising {result.Exercised.Count} checks; " +
                       $"{result.Missing} missing, {result.Lost} lost (the machine died: counted as launches that entered); left out {string.Join(", ", set.Skipped.Select(k => $"{k.Key} {k.Value}"))}; " +
                       $"wall {walls.GetValueOrDefault(set.Model, "?")}";
            summary.AppendLine(line);
            details.AppendLine("## " + set.Model);
            details.AppendLine("by kind: " + string.Join(", ", result.ByKind.Select(k => $"{k.Key} {k.Value.Agree}/{k.Value.Launches}")));
            details.AppendLine("documented deviations by check: " + string.Join(", ", result.DocumentedByCheck.Select(k => $"{k.Key} {k.Value}")));
            foreach (var d in result.Lines) details.AppendLine(d);
            if (result.KernelFacts is { } facts && (facts.MaxPhyAddr != 40 || facts.LinearWidth != 48))
                failures.Add($"{set.Model}: the cases assume MAXPHYADDR 40 and 48-bit linear addresses (EntryCaseSet.BochsFacts); the CPU reports {facts.MaxPhyAddr} and {facts.LinearWidth}");
            if (result.Disagree > 0 || result.ValidatorsDisagree > 0 || result.Missing > 0 || result.Launches == 0) failures.Add(line);
        }

        // Which checks a failing launch exercised, over all models; the ones Bochs never failed on are listed.
        var exercised = results.SelectMany(r => r.Exercised).ToHashSet(StringComparer.Ordinal);
        var all = Checks.CheckVectors.Checks;
        var never = all.Where(c => !exercised.Contains(c.Id)).ToList();
        summary.AppendLine($"seed {seed}: {results.Sum(r => r.Launches)} launches on {sets.Count} models; {exercised.Count} of {all.Count} checks exercised by a failing launch " +
                           $"({never.Count(c => c.Bochs is not null)} of the rest carry a bochs: note)");
        details.AppendLine("## checks no failing launch exercised");
        foreach (var c in never) details.AppendLine($"{c.Id}{(c.Bochs is null ? "" : " (bochs: note)")}");

        var observed = VmfailMap.Observed(results);
        if (System.Environment.GetEnvironmentVariable("VMX_UPDATE_VMFAIL_MAP") == "1")
        {
            var merged = VmfailMap.Load();
            foreach (var (message, ids) in observed) merged[message] = ids;
            VmfailMap.Write(merged);
        }
        var contradictions = VmfailMap.Contradictions(results, VmfailMap.Load());
        summary.AppendLine($"VMFAIL messages: {observed.Count} seen, {contradictions.Count} contradicting {Path.GetFileName(VmfailMap.Path)}");
        failures.AddRange(contradictions);

        var artifacts = Path.Combine(Repo.Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        File.WriteAllText(Path.Combine(artifacts, "conformance.txt"), summary + "\n" + string.Join("\n", contradictions) + "\n" + details);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures.Take(50)));
    }
}
