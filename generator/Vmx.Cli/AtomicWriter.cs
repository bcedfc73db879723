using System.Collections.Generic;
using System.IO;
using System.Text;
using Vmx.Spec.Emit;

namespace Vmx.Cli;

/// <summary>Writes a set of outputs so that a reader never sees a half-written file: every file is first written
/// whole to a temporary file beside its target, then renamed over it. Unchanged files are left untouched, so
/// their timestamps do not trigger rebuilds.</summary>
public static class AtomicWriter
{
    public static HashSet<string> WriteAll(string directory, IReadOnlyList<GeneratedFile> files)
    {
        Directory.CreateDirectory(directory);
        var staged = new List<(string Temp, string Target, string Name)>();
        try
        {
            foreach (var file in files)
            {
                var target = Path.Combine(directory, file.Path);
                if (File.Exists(target) && File.ReadAllText(target) == file.Content) continue;
                var temp = target + ".tmp-" + System.Guid.NewGuid().ToString("N");
                File.WriteAllText(temp, file.Content, new UTF8Encoding(false));
                staged.Add((temp, target, file.Path));
            }
            var written = new HashSet<string>();
            foreach (var (temp, target, name) in staged)
            {
                File.Move(temp, target, overwrite: true);
                written.Add(name);
            }
            return written;
        }
        finally
        {
            foreach (var (temp, _, _) in staged)
                if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
