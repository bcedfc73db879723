using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Vmx.Spec.Emit;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>Mutated real spec files: whatever the text, Parse and Link return diagnostics inside the text and never
/// throw (an exception in the generator would drop all its output, generator rule 1). Fixed seed, so a failure
/// names an iteration that reproduces.</summary>
public class FuzzTests
{
    private const int Seed = 0x5EED;
    private const int Iterations = 400;
    private const string Noise = ":-[]{}\"'\t\n #&*!|>%@`,?0x9aZ_.\\\r";

    [Fact]
    public void Mutated_spec_files_never_throw()
    {
        var files = SpecLoader.FindFiles(TestSpec.SpecDirectory).Select(p => (Path: Path.GetFileName(p), Text: File.ReadAllText(p))).ToList();
        var random = new Random(Seed);
        var failures = new List<string>();
        for (var i = 0; i < Iterations; i++)
        {
            var (path, original) = files[random.Next(files.Count)];
            var text = original;
            var mutations = random.Next(1, 5);
            for (var m = 0; m < mutations; m++) text = Mutate(text, random);
            try
            {
                var fragment = SpecFileParser.Parse(path, text);
                var result = SpecLinker.Link(new[] { fragment });
                foreach (var d in result.Diagnostics)
                    if (d.Location.Line < 1 || d.Location.Column < 1 || d.Location.Start < 0 || d.Location.End > text.Length + 1 || d.Location.End < d.Location.Start)
                        failures.Add($"iteration {i} ({path}): diagnostic outside the text: {d} [{d.Location.Start}-{d.Location.End} of {text.Length}]");
                if (!result.HasErrors)
                    Emitter.Emit(result.Model, OutputKind.C);
            }
            catch (Exception e)
            {
                failures.Add($"iteration {i} ({path}): {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(Seed + 1);
        for (var i = 0; i < 200; i++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 200);
            for (var c = 0; c < length; c++)
                builder.Append(random.Next(4) == 0 ? (char)random.Next(1, 0xD7FF) : Noise[random.Next(Noise.Length)]);
            var fragment = SpecFileParser.Parse("garbage.yaml", builder.ToString());
            SpecLinker.Link(new[] { fragment });
        }
    }

    private static string Mutate(string text, Random random)
    {
        if (text.Length == 0) return Noise[random.Next(Noise.Length)].ToString();
        var at = random.Next(text.Length);
        switch (random.Next(7))
        {
            case 0: // delete a run of characters
                return text.Remove(at, Math.Min(text.Length - at, random.Next(1, 40)));
            case 1: // insert YAML punctuation
                return text.Insert(at, new string(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Noise[random.Next(Noise.Length)]).ToArray()));
            case 2: // replace one character
                return text.Substring(0, at) + Noise[random.Next(Noise.Length)] + text.Substring(at + 1);
            case 3: // truncate
                return text.Substring(0, at);
            default:
            {
                var lines = text.Split('\n').ToList();
                var line = random.Next(lines.Count);
                switch (random.Next(4))
                {
                    case 0: lines.Insert(line, lines[random.Next(lines.Count)]); break;          // duplicate a line elsewhere
                    case 1: lines[line] = new string(' ', random.Next(0, 12)) + lines[line].TrimStart(); break; // re-indent
                    case 2: lines.RemoveAt(line); break;
                    default: // swap two lines
                        var other = random.Next(lines.Count);
                        (lines[line], lines[other]) = (lines[other], lines[line]);
                        break;
                }
                return string.Join("\n", lines);
            }
        }
    }
}
