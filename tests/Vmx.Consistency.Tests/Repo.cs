using System;
using System.Diagnostics;
using System.IO;
using Vmx.Spec;
using Vmx.Spec.Lint;

namespace Vmx.Consistency.Tests;

internal static class Repo
{
    public static string Root { get; } = FindRoot();
    public static string Spec => Path.Combine(Root, "spec");
    public static string GeneratedHeaders => Path.Combine(Root, "driver", "include", "vmx", "generated");

    private static readonly Lazy<SpecResult> LoadedSpec = new(() => SpecLoader.LoadDirectory(Spec, Root));
    public static SpecResult LoadSpec() => LoadedSpec.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "spec")) && File.Exists(Path.Combine(dir.FullName, "build.cake")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a program to completion; returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string file, string arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "vmxgen-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
