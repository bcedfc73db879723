using System;
using System.IO;
using System.Linq;

namespace Vmx.Consistency.Tests;

/// <summary>Compiles C against the generated headers with the strictest flags the mission names.</summary>
internal static class CCompiler
{
    public const string StrictFlags = "-std=c11 -Wall -Wextra -Werror -pedantic";

    /// <summary>The clang on PATH (Debian names it clang or clang-NN), or null.</summary>
    public static string? Clang { get; } = new[] { "clang", "clang-19", "clang-16", "clang-15", "clang-14" }
        .FirstOrDefault(c => Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, c))));

    public static (int ExitCode, string Output) Compile(string compiler, string source, string output, string extraFlags = "")
    {
        var dir = Path.GetDirectoryName(output)!;
        var sourcePath = Path.Combine(dir, Path.GetFileNameWithoutExtension(output) + ".c");
        File.WriteAllText(sourcePath, source);
        return Repo.Run(compiler, $"{StrictFlags} {extraFlags} -I \"{Repo.GeneratedHeaders}\" \"{sourcePath}\" -o \"{output}\"");
    }
}
