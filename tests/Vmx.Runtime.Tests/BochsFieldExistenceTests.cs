using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Vmx.Runtime.Tests;

/// <summary>What the CPU of each Bochs model answered to a VMREAD of every VMCS field of the spec
/// (tests/fixtures/vmread/&lt;model&gt;.txt: the VMCSEXIST block of the C driver's scenario vmcs_fields, written by
/// <c>UPDATE_EXISTS=1 make -C driver check</c>; one "&lt;field id&gt; ok|&lt;status&gt;" line per field, 12 being
/// VM-instruction error 12, unsupported VMCS component). <see cref="VmxCapabilities.FieldExists(VmcsFieldInfo)"/>
/// over the same model's capability dump must agree field by field: the expectation is Bochs's answer, never the
/// runtime's own evaluation.</summary>
public class BochsFieldExistenceTests
{
    public static TheoryData<string> Models => new() { Fixtures.Skylake, Fixtures.Tigerlake, Fixtures.Lynnfield, Fixtures.Penryn };

    private static string VmreadPath(string model) => Path.Combine(Fixtures.RepoRoot, "tests", "fixtures", "vmread", model + ".txt");

    /// <summary>Field id → VMREAD status (0: success).</summary>
    private static Dictionary<string, int> Answers(string model)
    {
        var answers = new Dictionary<string, int>();
        foreach (var line in File.ReadAllLines(VmreadPath(model)).Where(l => l.Length > 0))
        {
            var parts = line.Split(' ');
            Assert.True(parts.Length == 2, $"{model}: malformed line '{line}'");
            var status = parts[1] == "ok" ? 0 : int.Parse(parts[1]);
            Assert.True(answers.TryAdd(parts[0], status), $"{model}: {parts[0]} listed twice");
        }
        return answers;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Bochs_answered_for_exactly_the_fields_of_the_spec(string model)
    {
        var answers = Answers(model);
        Assert.Equal(VmcsFieldCatalog.All.Select(f => f.Id).OrderBy(id => id, System.StringComparer.Ordinal),
                     answers.Keys.OrderBy(id => id, System.StringComparer.Ordinal));
        // With a current VMCS a VMREAD either succeeds or reports "unsupported VMCS component" (error 12).
        const int unsupported = (int)VmInstructionError.VmreadVmwriteUnsupportedVmcsComponent;
        Assert.All(answers, a => Assert.Contains(a.Value, new[] { 0, unsupported }));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void FieldExists_agrees_with_bochs_field_by_field(string model)
    {
        var caps = Fixtures.Caps(model);
        var answers = Answers(model);
        var disagreements = VmcsFieldCatalog.All
            .Where(f => answers.ContainsKey(f.Id) && caps.FieldExists(f) != (answers[f.Id] == 0))
            .Select(f => $"{f.Id} (0x{f.Encoding:x4}): FieldExists={caps.FieldExists(f)}, Bochs VMREAD status {answers[f.Id]}")
            .ToList();
        Assert.Empty(disagreements);
        // By encoding too, as a VMM asks: the same answer for each field's full access.
        Assert.All(VmcsFieldCatalog.All.Where(f => answers.ContainsKey(f.Id)),
                   f => Assert.Equal(answers[f.Id] == 0, caps.FieldExists(f.Field)));
    }
}
