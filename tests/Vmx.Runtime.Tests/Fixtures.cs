using System;
using System.Collections.Generic;
using System.IO;

namespace Vmx.Runtime.Tests;

/// <summary>The capability dumps of the Bochs CPU models (tests/fixtures/caps), and edited copies of them.</summary>
internal static class Fixtures
{
    public const string Skylake = "corei7_skylake_x";
    public const string Tigerlake = "tigerlake";
    public const string Lynnfield = "corei5_lynnfield_750";
    public const string Penryn = "core2_penryn_t9600";

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string CapsPath(string model) => Path.Combine(RepoRoot, "tests", "fixtures", "caps", model + ".json");

    public static VmxCapabilities Caps(string model) => CapabilityDump.Load(CapsPath(model));

    /// <summary>A model's MSRs with some replaced (null: raises #GP).</summary>
    public static VmxCapabilities CapsWith(string model, params (Msr Msr, ulong? Value)[] changes)
    {
        var (name, snapshot) = CapabilityDump.ParseSnapshot(File.ReadAllText(CapsPath(model)), model);
        var values = new Dictionary<uint, ulong?>();
        foreach (var address in snapshot.Addresses) values[address] = snapshot.TryRead(address, out var v) ? v : null;
        foreach (var (msr, value) in changes) values[(uint)msr] = value;
        return VmxCapabilities.FromMsrs(new MsrSnapshot(values), name);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "tests", "fixtures", "caps"))) return dir.FullName;
        throw new InvalidOperationException("no tests/fixtures/caps above " + AppContext.BaseDirectory);
    }
}
