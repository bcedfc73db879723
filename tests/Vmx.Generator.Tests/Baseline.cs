using System;
using System.IO;
using Xunit;

namespace Vmx.Generator.Tests;

/// <summary>Snapshot comparison against reviewed files in Baselines/. A mismatch writes the new text beside the
/// baseline as *.received so a reviewer can diff it; set VMXGEN_ACCEPT_BASELINES=1 to accept it. Accepting writes the
/// baseline and then fails, so a run with the variable set is never green: rerun without it to see the tests pass.</summary>
internal static class Baseline
{
    private static string Directory => Path.Combine(GeneratorHarness.RepoRoot, "tests", "Vmx.Generator.Tests", "Baselines");

    public static void AssertMatches(string name, string actual)
    {
        var path = Path.Combine(Directory, name + ".txt");
        var received = Path.Combine(Directory, name + ".received.txt");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("VMXGEN_ACCEPT_BASELINES") == "1")
        {
            File.WriteAllText(path, actual);
            if (File.Exists(received)) File.Delete(received);
            Assert.Fail($"baseline accepted ({path}); rerun without VMXGEN_ACCEPT_BASELINES");
        }
        var expected = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"no baseline {path}; review {received} and rename it, or run with VMXGEN_ACCEPT_BASELINES=1"
            : $"output differs from baseline {path}; diff it with {received}");
    }
}
