using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Vmx.Spec;
using Vmx.Cli.Diff;
using Vmx.Spec.Lint;

namespace Vmx.Cli;

/// <summary>Parses the verb and its options and runs it. Exit codes: 0 success, 1 spec or input errors, 2 usage.</summary>
public sealed class CommandLine
{
    public const string Usage = """
        usage: vmxgen VERB [options]
          check [DIR | --spec DIR] [--list]    lint the spec; print located errors; --list prints every rule
                                               (spec lint VMX0xxx, then the tool's own VMX9xxx)
          generate c|docs [--out DIR]          write C headers (default driver/include/vmx/generated) or
                                               Markdown reference (default spec/reference), atomically;
          generate c|docs --spec DIR --out DIR the defaults belong to the repository's spec/ (found by walking
                                               up from the working directory), so --spec needs --out
          export --format json [--spec DIR]    the whole model as JSON on stdout, VM-entry checks included
          decode ENCODING [--spec DIR]         what a 32-bit VMCS encoding is, bit by bit (e.g. 0x681E)
          explain NAME [--spec DIR]            a field, control bit, layout field (cr4.vmxe), MSR, exit reason,
                                               error, CPUID bit or VM-entry check by id, C name (VMX_EXIT_CPUID) or
                                               SDM title; a check (host_cs_selector_rpl_ti, or host_$_selector_rpl_ti
                                               for each register) with its section, outcome, inputs, when, require,
                                               message, Bochs note and pass/fail vectors
          caps DUMP.json                       a capability dump: basics, every control bit must-be-1/must-be-0/flexible
          exit REASON [QUALIFICATION] [--vector N]
                                               a VM exit decoded (reason by one number, decimal or 0x hex, or one id,
                                               e.g. 28 0x13 or cpuid); warns of reserved or impossible bits; --vector
                                               is the event's vector (0-255), which picks the qualification layout
                                               of exit reason 0 (1 #DB, 14 #PF)
          why DUMP [--caps CAPS.json] [--cpu name=value,...]
                                               every VM-entry check run on a VMCS (the driver's JSON dump or a Linux
                                               KVM dump_vmcs log): each violated check with its SDM section, values,
                                               requirement and outcome, then the outcomes to expect; a check reading
                                               what the dump lacks is not decidable, and without --caps so is every
                                               check reading a capability MSR; --cpu sets CPU facts (maxphyaddr=46,
                                               current_lma=0, ...); exit 0 when none is violated, 1 when one is,
                                               2 for input that cannot be read
          diff OLD NEW [--format text|markdown] what changed between two spec directories or two git revisions
                                               (REV or REV:PATH, e.g. HEAD~1 HEAD): added, removed and changed entries
                                               with encodings and bits; exit 0 when equal, 1 when they differ
        --overlay DIR adds a user's spec files to the base spec (check, generate, export, decode, explain); the base is
        --spec DIR, else the spec bundled with the installed tool, else the repository's; a clash with the base is
        reported at the overlay's entry. generate with --overlay needs --out.
        Numbers are decimal or 0x hex. Extra arguments are a usage error (exit 2); errors exit 1.
        """;

    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly string _cwd;

    public CommandLine(TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        _out = stdout;
        _err = stderr;
        _cwd = workingDirectory;
    }

    public int Run(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            if (options.Error is not null) return UsageError(options.Error);
            if (options["--vector"] is not null && options.Verb != "exit") return UsageError("--vector is an option of the exit verb only");
            if ((options["--caps"] is not null || options["--cpu"] is not null) && options.Verb != "why")
                return UsageError("--caps and --cpu are options of the why verb only");
            if (options["--overlay"] is not null && options.Verb is "caps" or "exit" or "diff" or "why")
                return UsageError($"--overlay is not an option of {options.Verb}");
            var verbs = new Verbs(_out, _err, _cwd, options);
            return options.Verb switch
            {
                "check" => verbs.Check(),
                "generate" => verbs.Generate(),
                "export" => verbs.Export(),
                "decode" => verbs.Decode(),
                "explain" => verbs.Explain(),
                "diff" => new DiffVerb(_out, _err, _cwd, options).Run(),
                "caps" => new RuntimeVerbs(_out, _err, _cwd, options).Caps(),
                "exit" => new RuntimeVerbs(_out, _err, _cwd, options).Exit(),
                "why" => new WhyVerb(_out, _err, _cwd, options).Run(),
                "help" or "--help" or "-h" => Help(),
                null => UsageError("no verb given"),
                _ => UsageError($"unknown verb '{options.Verb}'"),
            };
        }
        // Last resort: each verb reports the I/O failures it can foresee with their path.
        catch (Exception e) when (ToolDiagnostics.IsIoFailure(e))
        {
            _err.WriteLine(ToolDiagnostics.Line("vmxgen", ToolDiagnostics.FileAccess, "read or write a file", ToolDiagnostics.Reason(e)));
            return 1;
        }
    }

    private int Help()
    {
        _out.WriteLine(Usage);
        return 0;
    }

    private int UsageError(string message)
    {
        _err.WriteLine($"vmxgen: {message}");
        _err.WriteLine(Usage);
        return 2;
    }
}

/// <summary>The verb, its positional arguments and its --options.</summary>
public sealed class Options
{
    private static readonly HashSet<string> Flags = new() { "--list" };
    private static readonly HashSet<string> Valued = new() { "--spec", "--out", "--format", "--vector", "--overlay", "--caps", "--cpu" };

    public string? Verb { get; private set; }
    public List<string> Positional { get; } = new();
    public Dictionary<string, string> Values { get; } = new();
    public HashSet<string> Switches { get; } = new();
    public string? Error { get; private set; }

    public string? this[string name] => Values.TryGetValue(name, out var v) ? v : null;

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (Flags.Contains(arg)) options.Switches.Add(arg);
            else if (Valued.Contains(arg))
            {
                if (i + 1 >= args.Count) { options.Error = $"{arg} needs a value"; break; }
                options.Values[arg] = args[++i];
            }
            // "--help" looks like an option but is the help verb; without this it was rejected as unknown.
            else if (arg == "--help" && options.Verb is null) options.Verb = arg;
            else if (arg.StartsWith("--", StringComparison.Ordinal)) { options.Error = $"unknown option '{arg}'"; break; }
            else if (options.Verb is null) options.Verb = arg;
            else options.Positional.Add(arg);
        }
        return options;
    }
}
