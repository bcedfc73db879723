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

int Run(string tool, string arguments, DirectoryPath workingDirectory = null, List<string> output = null, List<string> errors = null)
{
    var settings = new ProcessSettings { Arguments = arguments, WorkingDirectory = workingDirectory ?? root,
        RedirectStandardOutput = output != null, RedirectStandardError = errors != null };
    using var process = StartAndReturnProcess(tool, settings);
    process.WaitForExit();
    if (output != null)
        foreach (var line in process.GetStandardOutput()) { Information(line); output.Add(line); }
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
    })
    {
        var output = new List<string>();
        var exit = Run(tool, arguments, output: output);
        CountLines(suite, output, "C-TEST PASS", "C-TEST FAIL");
        if (exit != 0 && !output.Any(l => l.StartsWith("C-TEST FAIL"))) { failed++; suiteLines.Add($"{suite}: failed before reporting any test"); }
    }
});

// The scenarios every boot must report, one result line each (driver/README.md, kernel.c).
var scenarioNames = new[] { "caps_dump", "guest64_cpuid_loop", "realmode_ept", "error_paths", "vmcs_fields" };

// A constant of the generated C headers (driver/include/vmx/generated), so that no VMX fact is restated here.
long GeneratedConstant(string header, string name)
{
    var text = System.IO.File.ReadAllText(root.CombineWithFilePath($"driver/include/vmx/generated/{header}").FullPath);
    var m = Regex.Match(text, $@"^#define {name} (0x[0-9A-Fa-f]+|\d+)u?\b", RegexOptions.Multiline);
    if (!m.Success) throw new Exception($"{header} defines no {name}");
    var v = m.Groups[1].Value;
    return v.StartsWith("0x") ? Convert.ToInt64(v.Substring(2), 16) : long.Parse(v);
}

// The capability fixture of a model (tests/fixtures/caps/<model>.json, what Bochs reported): MSR address → value,
// null for an MSR that raises #GP.
Dictionary<uint, ulong?> CapsFixture(string model)
{
    var path = root.CombineWithFilePath($"tests/fixtures/caps/{model}.json").FullPath;
    using var json = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(path));
    var msrs = new Dictionary<uint, ulong?>();
    foreach (var p in json.RootElement.GetProperty("msrs").EnumerateObject())
    {
        var v = p.Value.GetString();
        msrs[Convert.ToUInt32(p.Name.Substring(2), 16)] = v == "gp" ? null : Convert.ToUInt64(v.Substring(2), 16);
    }
    return msrs;
}

// Whether the fixture reports allowed-1 bit `bit` (0-31) of a control field whose capability MSR is `msr`.
bool Allowed1(Dictionary<uint, ulong?> caps, long msr, long bit) =>
    caps.TryGetValue((uint)msr, out var v) && v is { } value &&
    ((value >> (int)(GeneratedConstant("vmx_layouts.h", "VMX_CONTROL_CAPABILITY_ALLOWED_1_SETTINGS_SHIFT") + bit)) & 1) != 0;

// Why realmode_ept may SKIP on a model, from its capability fixture (null: it must run). It needs a real-mode guest,
// so unrestricted guest, which needs EPT, both secondary controls (which need "activate secondary controls").
string RealmodeEptSkipReason(Dictionary<uint, ulong?> caps)
{
    var proc = GeneratedConstant("vmx_msrs.h", "VMX_MSR_IA32_VMX_PROCBASED_CTLS");
    var proc2 = GeneratedConstant("vmx_msrs.h", "VMX_MSR_IA32_VMX_PROCBASED_CTLS2");
    if (!Allowed1(caps, proc, GeneratedConstant("vmx_controls.h", "VMX_PROC_ACTIVATE_SECONDARY_CONTROLS_BIT")))
        return "no secondary controls";
    if (!Allowed1(caps, proc2, GeneratedConstant("vmx_controls.h", "VMX_PROC2_ENABLE_EPT_BIT")))
        return "EPT not allowed";
    if (!Allowed1(caps, proc2, GeneratedConstant("vmx_controls.h", "VMX_PROC2_UNRESTRICTED_GUEST_BIT")))
        return "unrestricted guest not allowed";
    return null;
}

// Checks one scenario's result line: null when it passed (PASS, or a SKIP the fixture allows), else why not.
// realmode_ept's SKIP line names the bit it lacks ("requires=0x<msr>:<bit>"): it must be clear in the fixture too.
string ScenarioFailure(string model, string name, string line, Dictionary<uint, ulong?> caps)
{
    if (Regex.IsMatch(line, $@"^SCENARIO {name} PASS\b")) return null;
    if (!Regex.IsMatch(line, $@"^SCENARIO {name} SKIP\b")) return "did not pass";
    if (name != "realmode_ept") return "SKIP, but VMX is available on every model";
    var allowed = RealmodeEptSkipReason(caps);
    if (allowed == null) return $"SKIP, but tests/fixtures/caps/{model}.json allows EPT and unrestricted guest";
    var m = Regex.Match(line, @"requires=0x([0-9a-fA-F]+):(\d+)");
    if (!m.Success) return "SKIP without requires=0x<msr>:<bit>";
    var msr = Convert.ToUInt32(m.Groups[1].Value, 16);
    var bit = int.Parse(m.Groups[2].Value);
    if (!caps.TryGetValue(msr, out var v)) return $"SKIP names MSR 0x{msr:x}, which tests/fixtures/caps/{model}.json lacks";
    if (v is { } value && bit < 64 && ((value >> bit) & 1) != 0)
        return $"SKIP names 0x{msr:x} bit {bit}, which is 1 in tests/fixtures/caps/{model}.json";
    Information($"E2E {model,-22} realmode_ept SKIP allowed: {allowed} (tests/fixtures/caps/{model}.json)");
    return null;
}

Task("E2E")
    .Description("Every Bochs scenario on every CPU model: one line per scenario and model.")
    .IsDependentOn("InstallDependencies")
    .IsDependentOn("Generate")
    .Does(() =>
{
    if (Run("make", "-C driver iso") != 0) throw new Exception("building the kernel ISO failed");
    foreach (var model in models)
    {
        var output = new List<string>();
        var timing = new List<string>();
        Run("bash", $"driver/tools/run-bochs.sh {model}", output: output, errors: timing);
        var scenarios = output.Where(l => l.StartsWith("SCENARIO ")).ToList();
        // run-bochs.sh reports the boot's wall time on stderr ("BOCHS model=M wall=1.43s"); per-scenario
        // times need one boot each: driver/tools/time-scenarios.sh.
        var wall = timing.Select(l => Regex.Match(l, @"^BOCHS model=\S+ wall=(\S+)$")).FirstOrDefault(m => m.Success)?.Groups[1].Value ?? "?";
        foreach (var line in scenarios) Information($"E2E {model,-22} {line.Substring(9)}");
        Information($"E2E {model,-22} boot with every scenario: {wall} wall");
        var done = output.Any(l => l.StartsWith("VMXGEN DONE"));
        var caps = CapsFixture(model);
        int p = 0, f = 0;
        var problems = new List<string>();
        // Exactly the five scenarios, one result line each: a kernel that ran none and said DONE fails.
        foreach (var name in scenarioNames)
        {
            var lines = scenarios.Where(l => l.Split(' ')[1] == name).ToList();
            var why = lines.Count == 0 ? "no result line"
                : lines.Count > 1 ? $"{lines.Count} result lines"
                : ScenarioFailure(model, name, lines[0], caps);
            if (why == null) { p++; continue; }
            f++; problems.Add($"{name}: {why}");
        }
        foreach (var extra in scenarios.Where(l => !scenarioNames.Contains(l.Split(' ')[1])))
        {
            f++; problems.Add($"unexpected scenario: {extra}");
        }
        if (!done) { f++; problems.Add("kernel did not finish (no VMXGEN DONE)"); }
        foreach (var problem in problems) Error($"E2E {model,-22} FAIL {problem}");
        passed += p; failed += f;
        suiteLines.Add($"Bochs {model}: {p} passed, {f} failed{(problems.Count > 0 ? " (" + string.Join("; ", problems) + ")" : "")}");
    }
    if (target == "E2E") // run alone: report and fail here (the Test task does this for every suite)
    {
        foreach (var line in suiteLines) Information(line);
        var summary = $"{passed} passed, {failed} failed";
        Information(summary);
        if (failed > 0) throw new Exception(summary);
    }
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
