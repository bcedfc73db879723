using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Vmx.Spec.Checks;
using Xunit;

namespace Vmx.Consistency.Tests.Checks;

/// <summary>Every VM-entry check's pass and fail vectors (stated with the check in spec/checks) through the C# validator
/// and the C validator (vmx_checks.h, built on the host over the same concrete vectors): the verdict of every check on
/// every vector must be identical, each pass vector must pass every check with its own reaching its requirement, and each
/// fail vector must violate its own check.</summary>
public class CheckVectorTests
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, (string Verdict, string? Message)>>> CResults = new(RunC);

    public static TheoryData<string> CheckIds()
    {
        var ids = new TheoryData<string>();
        foreach (var check in CheckVectors.Checks) ids.Add(check.Id);
        return ids;
    }

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Vectors_give_the_stated_verdict_in_CSharp_and_C(string id)
    {
        var problems = new List<string>();
        foreach (var vector in CheckVectors.All.Where(v => v.Check.Id == id))
        {
            var report = VmEntryValidator.Validate(vector.Vmcs, vector.Capabilities, vector.CpuFacts, vector.GuestMemory(true));
            var own = report.Verdict(id);
            if (vector.ShouldPass)
            {
                if (own != CheckVerdict.Passed) problems.Add($"{vector.Name}: its own check is {own}, not Passed (a pass vector must reach 'require')");
                problems.AddRange(report.Violations.Select(v => $"{vector.Name}: also violates {v}"));
            }
            else if (own != CheckVerdict.Violated) problems.Add($"{vector.Name}: its own check is {own}, not Violated");

            var c = CResults.Value[vector.Name];
            foreach (var check in VmEntryCheckCatalog.All)
            {
                var expected = CVerdict(report[check]);
                if (!c.TryGetValue(check.Id, out var result)) { problems.Add($"{vector.Name}: C reported nothing for {check.Id}"); continue; }
                if (result.Verdict != expected) problems.Add($"{vector.Name}: {check.Id} is {expected} in C# but {result.Verdict} in C");
            }
            foreach (var violation in report.Violations)
                if (c[violation.Check.Id].Message != violation.Message)
                    problems.Add($"{vector.Name}: {violation.Check.Id} says \"{violation.Message}\" in C# but \"{c[violation.Check.Id].Message}\" in C");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_check_has_a_pass_and_a_fail_vector()
    {
        Assert.NotEmpty(CheckVectors.Checks);
        Assert.Equal(VmEntryCheckCatalog.All.Select(c => c.Id), CheckVectors.Checks.Select(c => c.Id));
        Assert.All(CheckVectors.Checks, c => Assert.True(c.Pass.Count > 0 && c.Fail.Count > 0, c.Id));
    }

    public static TheoryData<string> MemoryCheckIds()
    {
        var ids = new TheoryData<string>();
        foreach (var check in CheckVectors.Checks.Where(c => c.Inputs.Any(i => i.Kind == InputKind.Memory))) ids.Add(check.Id);
        return ids;
    }

    [Theory]
    [MemberData(nameof(MemoryCheckIds))]
    public void A_check_reading_memory_is_not_decidable_without_it(string id)
    {
        foreach (var vector in CheckVectors.All.Where(v => v.Check.Id == id && v.ShouldPass))
        {
            var report = VmEntryValidator.Validate(vector.Vmcs, vector.Capabilities, vector.CpuFacts, memory: null);
            Assert.Equal(CheckVerdict.NotDecidable, report.Verdict(id));
        }
    }

    [Fact]
    public void Without_capability_MSRs_the_checks_that_read_them_are_not_decidable()
    {
        var vector = CheckVectors.All.First(v => v.ShouldPass);
        var with = VmEntryValidator.Validate(vector.Vmcs, vector.Capabilities, vector.CpuFacts);
        var report = VmEntryValidator.Validate(vector.Vmcs, capabilities: null, vector.CpuFacts);
        // Without capability MSRs a check keeps its verdict (its evaluation never reached an MSR: `a || b` with a true) or
        // becomes not decidable; it never turns into another decided verdict, and checks reading no MSR are unchanged.
        foreach (var check in CheckVectors.Checks)
        {
            var readsMsr = check.Inputs.Any(i => i.Kind == InputKind.Msr);
            var allowed = readsMsr ? new[] { with.Verdict(check.Id), CheckVerdict.NotDecidable } : new[] { with.Verdict(check.Id) };
            Assert.True(allowed.Contains(report.Verdict(check.Id)), $"{check.Id}: {with.Verdict(check.Id)} with capabilities, {report.Verdict(check.Id)} without");
        }
        Assert.Contains(CheckVectors.Checks, c => report.Verdict(c.Id) == CheckVerdict.NotDecidable);
        Assert.True(report.Passed, string.Join("\n", report.Violations));
    }

    private static string CVerdict(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.NotApplicable => "n/a", CheckVerdict.Passed => "pass", CheckVerdict.Violated => "fail", CheckVerdict.NotDecidable => "undecided", _ => "?",
    };

    private static Dictionary<string, Dictionary<string, (string, string?)>> RunC()
    {
        var dir = Repo.TempDirectory();
        var binary = Path.Combine(dir, "check_vectors");
        var (exit, output) = Repo.Run("gcc", $"{CCompiler.StrictFlags} -O1 -I \"{Path.Combine(Repo.Root, "driver", "include")}\" " +
                                             $"\"{Path.Combine(Repo.Root, "driver", "tests", "host", "check_vectors.c")}\" -o \"{binary}\"");
        Assert.True(exit == 0, "check_vectors.c does not build:\n" + output);
        var input = new StringBuilder();
        foreach (var vector in CheckVectors.All) vector.WriteTo(input);
        var inputPath = Path.Combine(dir, "vectors.txt");
        File.WriteAllText(inputPath, input.ToString());
        (exit, output) = Repo.Run("sh", $"-c \"'{binary}' < '{inputPath}'\"");
        Assert.True(exit == 0, "check_vectors failed:\n" + output[..Math.Min(output.Length, 2000)]);
        var results = new Dictionary<string, Dictionary<string, (string, string?)>>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.Split('\t');
            var parts = tab[0].Split(' ');
            if (!results.TryGetValue(parts[0], out var checks)) results[parts[0]] = checks = new Dictionary<string, (string, string?)>();
            checks[parts[1]] = (parts[2], tab.Length > 1 ? tab[1] : null);
        }
        return results;
    }
}
