// The one build. `dotnet cake` (Default): lint the spec, generate every output, build C# and C, report.
// `--target=Pack`: the NuGet packages into artifacts/packages. `dotnet cake --target=Test`: install what the tests need, then run every suite (C#, C, Bochs) and print
// one closing line "N passed, N failed". `--target=E2E`: only the Bochs scenarios.
using System.Text.RegularExpressions;
using System.Xml.Linq;

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var results = artifacts.Combine("test-results");
var solution = root.CombineWithFilePath("vmxgen.slnx");
var cli = root.CombineWithFilePath($"generator/Vmx.Cli/bin/{configuration}/net10.0/vmxgen.dll");
var models = new[] { "corei7_skylake_x", "tigerlake", "corei5_lynnfield_750", "core2_penryn_t9600" };

// Every suite adds its counts here; the Test task prints the sum last.
var passed = 0;
var failed = 0;
var suiteLines = new List<string>();

int Run(string tool, string arguments, DirectoryPath workingDirectory = null, List<string> output = null, List<string> errors = null,
    bool echo = true)
{
    var settings = new ProcessSettings { Arguments = arguments, WorkingDirectory = workingDirectory ?? root,
        RedirectStandardOutput = output != null, RedirectStandardError = errors != null };
    using var process = StartAndReturnProcess(tool, settings);
    process.WaitForExit();
    if (output != null)
        foreach (var line in process.GetStandardOutput()) { if (echo) Information(line); output.Add(line); }
    if (errors != null)
        foreach (var line in process.GetStandardError()) { Information(line); errors.Add(line); }
    return process.GetExitCode();
}

void Vmxgen(string arguments)
{
    if (Run("dotnet", $"\"{cli}\" {arguments}") != 0) throw new Exception($"vmxgen {arguments} failed");
}

// Builds a project; when the spec is broken, the generator's located VMX errors are the only ones worth
// reading (the C# that depends on generated code then fails by the hundred), so they are shown alone.
void BuildShowingSpecErrorsFirst(string project)
{
    var output = new List<string>();
    var settings = new ProcessSettings { Arguments = $"build \"{project}\" -c {configuration} -nologo -v:q", RedirectStandardOutput = true };
    using var process = StartAndReturnProcess("dotnet", settings);
    process.WaitForExit();
    output.AddRange(process.GetStandardOutput());
    if (process.GetExitCode() == 0) return;
    var specErrors = output.Where(l => Regex.IsMatch(l, @": error VMX\d{4}:")).Distinct().ToList();
    foreach (var line in specErrors.Count > 0 ? specErrors : output) Error(Regex.Replace(line, @" \[[^\]]*\.csproj\]$", ""));
    if (specErrors.Count > 0)
        throw new Exception($"the spec has {specErrors.Count} error(s) (above); C# errors that follow from them are not shown");
    throw new Exception($"building {project} failed");
}

Task("BuildGenerator")
    .Does(() => BuildShowingSpecErrorsFirst("generator/Vmx.Cli/Vmx.Cli.csproj"));

Task("Check")
    .Description("Lint the spec; located errors stop the build.")
    .IsDependentOn("BuildGenerator")
    .Does(() => Vmxgen("check"));

Task("Generate")
    .Description("Write the C headers (driver/include/vmx/generated) and the Markdown reference (spec/reference).")
    .IsDependentOn("Check")
    .Does(() =>
{
    Vmxgen("generate c");
    Vmxgen("generate docs");
});

Task("Build")
    .Description("Build every C# project (the runtime runs the Roslyn generator over spec/) and the C driver.")
    .IsDependentOn("Generate")
    .Does(() =>
{
    DotNetBuild(solution.FullPath, new DotNetBuildSettings { Configuration = configuration });
    if (Run("make", "-C driver kernel") != 0) throw new Exception("building the C driver failed");
});

Task("Default")
    .IsDependentOn("Build")
    .Does(() =>
{
    Information("");
    Information("Generated from spec/:");
    Vmxgen("check");
    foreach (var file in GetFiles("driver/include/vmx/generated/*.h").Concat(GetFiles("spec/reference/*.md")))
        Information($"  {root.GetRelativePath(file)}  ({System.IO.File.ReadAllLines(file.FullPath).Length} lines)");
    Information("  C# (Roslyn generator, inside runtime/Vmx.Runtime): encodings, catalogs, typed accessors, controls, layouts, decoders");
    Information($"  bare-metal kernel: driver/build/kernel.elf");
});

Task("InstallDependencies")
    .Description("Debian packages the tests need: Bochs, GRUB tools, clang, linux-headers.")
    .Does(() =>
{
    if (Run("bash", "driver/tools/install-deps.sh") != 0) throw new Exception("installing test dependencies failed");
});

Task("TestCSharp")
    .Description("Every xunit suite; some compile the generated headers with gcc and clang, so packages come first.")
    .IsDependentOn("InstallDependencies")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(results);
    foreach (var project in GetFiles("tests/*/*.Tests.csproj"))
    {
        var name = project.GetFilenameWithoutExtension().ToString();
        try
        {
            DotNetTest(project.FullPath, new DotNetTestSettings
            {
                Configuration = configuration, NoBuild = true,
                Loggers = new[] { $"trx;LogFileName={name}.trx" }, ResultsDirectory = results,
                Filter = "Category!=Conformance", // a Bochs boot per model: the Conformance target
            });
        }
        catch (Exception e) { Warning($"{name}: {e.Message}"); }
        var trx = results.CombineWithFilePath($"{name}.trx");
        if (!FileExists(trx)) { failed++; suiteLines.Add($"{name}: no results (did not run)"); continue; }
        var counters = XDocument.Load(trx.FullPath).Descendants().First(e => e.Name.LocalName == "Counters");
        int Count(string attribute) => int.Parse(counters.Attribute(attribute)?.Value ?? "0");
        var p = Count("passed");
        var f = Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        passed += p; failed += f;
        suiteLines.Add($"{name}: {p} passed, {f} failed");
    }
});

// A C suite prints "C-TEST PASS name" / "C-TEST FAIL name ..." lines; each is one test.
void CountLines(string suite, IEnumerable<string> lines, string passPrefix, string failPrefix)
{
    var p = lines.Count(l => l.StartsWith(passPrefix));
    var f = lines.Count(l => l.StartsWith(failPrefix));
    passed += p; failed += f;
    suiteLines.Add($"{suite}: {p} passed, {f} failed");
}

Task("TestC")
    .Description("Native C tests of the generated headers and the driver's portable code.")
    .IsDependentOn("InstallDependencies")
    .IsDependentOn("Build")
    .Does(() =>
{
    foreach (var (suite, tool, arguments) in new[]
    {
        ("C host tests", "make", "-C driver test"),
        ("Linux module", "bash", "driver/tools/build-linux-module.sh"),
        ("SMP verdict", "bash", "driver/tools/smp-verdict-selftest.sh"),
        ("Linux verdict", "bash", "driver/tools/linux-verdict-selftest.sh"),
        // Debian's kernel in Bochs with the module just built (a few minutes; "BOCHS linux ... wall=" on stderr):
        // one line per step; a missing kernel package or busybox is a FAIL when CI=true, else a SKIP (not counted).
        ("Linux in Bochs", "bash", "driver/linux/test/bochs-linux.sh"),
    })
    {
        var output = new List<string>();
        var exit = Run(tool, arguments, output: output);
        CountLines(suite, output, "C-TEST PASS", "C-TEST FAIL");
        if (exit != 0 && !output.Any(l => l.StartsWith("C-TEST FAIL"))) { failed++; suiteLines.Add($"{suite}: failed before reporting any test"); }
    }
});

Task("E2E")
    .Description("Every Bochs scenario on every CPU model: one line per scenario and model; then the SMP steps on 2 and 4 CPUs.")
    .IsDependentOn("InstallDependencies")
    .IsDependentOn("Generate")
    .Does(() =>
{
    if (Run("make", "-C driver iso") != 0) throw new Exception("building the kernel ISO failed");
    // The verdict is the driver's own (driver/tools/check-models.sh: every scenario exactly once, PASS or a SKIP its
    // capability fixture allows); this task only counts it: "<model>: SCENARIO …" passed, "FAIL <model>: …" failed.
    var output = new List<string>();
    var timing = new List<string>();
    var iso = root.CombineWithFilePath("driver/build/vmxgen.iso");
    var exit = Run("bash", $"driver/tools/check-models.sh \"{iso}\" {string.Join(" ", models)}", output: output, errors: timing);
    var before = failed;
    foreach (var model in models)
    {
        var p = output.Count(l => l.StartsWith($"{model}: SCENARIO "));
        var problems = output.Where(l => l.StartsWith($"FAIL {model}:")).ToList();
        // run-bochs.sh reports each boot's wall time on stderr ("BOCHS model=M wall=1.43s"); per-scenario times
        // need one boot each: driver/tools/time-scenarios.sh.
        var wall = timing.Select(l => Regex.Match(l, $@"^BOCHS model={model} wall=(\S+)$")).FirstOrDefault(m => m.Success)?.Groups[1].Value ?? "?";
        Information($"E2E {model,-22} boot with every scenario: {wall} wall");
        passed += p; failed += problems.Count;
        suiteLines.Add($"Bochs {model}: {p} passed, {problems.Count} failed{(problems.Count > 0 ? " (" + string.Join("; ", problems) + ")" : "")}");
    }
    if (exit != 0 && failed == before) { failed++; suiteLines.Add("Bochs: check-models.sh failed without a FAIL line"); }
    // SMP: driver/tools/check-smp.sh boots 2 and 4 CPUs and decides; counted here: "SMP <n>cpu <step> PASS|FAIL".
    var smpOutput = new List<string>();
    var smpTiming = new List<string>();
    var smpExit = Run("bash", "driver/tools/check-smp.sh corei7_skylake_x 2 4", output: smpOutput, errors: smpTiming);
    var smpPassed = smpOutput.Count(l => Regex.IsMatch(l, @"^SMP \d+cpu \S+ PASS"));
    var smpProblems = smpOutput.Where(l => Regex.IsMatch(l, @"^SMP \d+cpu \S+ FAIL")).ToList();
    if (smpExit != 0 && smpProblems.Count == 0) smpProblems.Add("check-smp.sh failed without a FAIL line");
    foreach (var line in smpTiming.Where(l => l.StartsWith("BOCHS "))) Information($"E2E SMP {line}");
    passed += smpPassed; failed += smpProblems.Count;
    suiteLines.Add($"Bochs SMP: {smpPassed} passed, {smpProblems.Count} failed{(smpProblems.Count > 0 ? " (" + string.Join("; ", smpProblems) + ")" : "")}");
    if (target == "E2E") // run alone: report and fail here (the Test task does this for every suite)
    {
        foreach (var line in suiteLines) Information(line);
        var summary = $"{passed} passed, {failed} failed";
        Information(summary);
        if (failed > 0) throw new Exception(summary);
    }
});

// Which models the conformance run launches: "all" (the 11 Bochs models with VMX) or "e2e" (the four above). The
// Test target takes the four: all 11 add 11 minutes to a clean CI run (measured 2026-12-02), over its 10-minute budget.
var conformanceModels = Argument("conformance-models", target == "Conformance" ? "all" : "e2e");

Task("Conformance")
    .Description("The VM-entry checks against Bochs 2.7: over 2,000 mutated launches per model, derived from spec/checks, compared with both validators (tests/Vmx.Consistency.Tests/Conformance); one line per model, counted as a test; artifacts/conformance.txt.")
    .IsDependentOn("InstallDependencies")
    .IsDependentOn("Build")
    .Does(() =>
{
    var report = root.CombineWithFilePath("artifacts/conformance.txt");
    if (FileExists(report)) DeleteFile(report);
    var settings = new DotNetTestSettings
    {
        Configuration = configuration, NoBuild = true, Filter = "Category=Conformance",
        EnvironmentVariables = new Dictionary<string, string>(),
    };
    if (conformanceModels == "e2e") settings.EnvironmentVariables["VMX_CONFORMANCE_MODELS"] = string.Join(",", models);
    var error = "";
    try { DotNetTest("tests/Vmx.Consistency.Tests/Vmx.Consistency.Tests.csproj", settings); }
    catch (Exception e) { error = e.Message; }
    // "MODEL: N launches, A agree, D documented deviations, X disagree, …" per model: one test each (no disagreement
    // with Bochs, none between the C and C# validators, nothing missing); the VMFAIL map's line is one more.
    var lines = FileExists(report) ? System.IO.File.ReadLines(report.FullPath).TakeWhile(l => l.Length > 0).ToList() : new List<string>();
    foreach (var line in lines) Information(line);
    var modelLines = lines.Where(l => Regex.IsMatch(l, @"^\S+: \d+ launches, ")).ToList();
    var mapLine = lines.FirstOrDefault(l => l.StartsWith("VMFAIL messages:"));
    var p = modelLines.Count(l => Regex.IsMatch(l, @"^\S+: [1-9]\d* launches, \d+ agree, \d+ documented deviations, 0 disagree, .*; C/C# \d+ agree, 0 disagree; .*; 0 missing, "));
    var f = modelLines.Count - p;
    if (mapLine != null && mapLine.Contains(", 0 contradicting")) p++; else f++;
    if (modelLines.Count == 0) { f++; suiteLines.Add($"Conformance: no per-model result ({error})"); }
    passed += p; failed += f;
    suiteLines.Add($"Conformance ({conformanceModels} models): {p} passed, {f} failed");
    if (target == "Conformance" && (f > 0 || error.Length > 0)) throw new Exception($"conformance: {f} failed {error}");
});

Task("Pack")
    .Description("The packages into artifacts/packages: Vmx.Generator (analyzer + bundled spec), Vmx.Runtime, the vmxgen tool.")
    .IsDependentOn("Generate")
    .Does(() =>
{
    CleanDirectory(artifacts.Combine("packages"));
    foreach (var project in new[] { "generator/Vmx.Generator", "runtime/Vmx.Runtime", "generator/Vmx.Cli" })
        if (Run("dotnet", $"pack {project} -c {configuration} -nologo -p:ContinuousIntegrationBuild=true") != 0)
            throw new Exception($"packing {project} failed");
    foreach (var package in GetFiles("artifacts/packages/*.nupkg"))
        Information($"  {root.GetRelativePath(package)}  ({new System.IO.FileInfo(package.FullPath).Length / 1024} KiB)");
});

Task("TestConsumer")
    .Description("The packages used as a consumer would: clean cache, local feed only (tests/consumer/run.sh).")
    .IsDependentOn("Pack")
    .Does(() =>
{
    var output = new List<string>();
    var exit = Run("bash", "tests/consumer/run.sh", output: output);
    CountLines("Consumer", output, "CONSUMER-TEST PASS", "CONSUMER-TEST FAIL");
    if (exit != 0 && !output.Any(l => l.StartsWith("CONSUMER-TEST"))) { failed++; suiteLines.Add("Consumer: failed before reporting any test"); }
});

Task("Test")
    .IsDependentOn("TestCSharp")
    .IsDependentOn("TestConsumer")
    .IsDependentOn("TestC")
    .IsDependentOn("E2E")
    .IsDependentOn("Conformance")
    .Does(() =>
{
    EnsureDirectoryExists(artifacts);
    foreach (var line in suiteLines) Information(line);
    var summary = $"{passed} passed, {failed} failed";
    System.IO.File.WriteAllText(artifacts.CombineWithFilePath("test-summary.txt").FullPath, summary + "\n");
    Information(summary);
    if (failed > 0) throw new Exception(summary);
});

RunTarget(target);
