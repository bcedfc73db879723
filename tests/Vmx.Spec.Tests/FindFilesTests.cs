using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>How <see cref="SpecLoader.FindFiles(string)"/> walks a directory: *.yaml files only, and never through a
/// symbolic link to a directory.</summary>
public sealed class FindFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vmxgen-findfiles-" + Guid.NewGuid().ToString("N"));

    public FindFilesTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    private string Write(params string[] parts)
    {
        var path = Path.Combine(new[] { _root }.Concat(parts).ToArray());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void Finds_yaml_files_in_subdirectories_in_ordinal_order()
    {
        var b = Write("b.yaml");
        var a = Write("sub", "a.yaml");
        var c = Write("A.yaml");
        Write("notes.txt");
        Write("old.yml");
        Assert.Equal(new[] { c, b, a }, SpecLoader.FindFiles(_root));
    }

    [Fact]
    public void Link_to_a_parent_directory_is_not_followed()
    {
        var file = Write("sub", "a.yaml");
        Directory.CreateSymbolicLink(Path.Combine(_root, "sub", "up"), "..");
        Assert.Equal(new[] { file }, SpecLoader.FindFiles(_root));
    }

    [Fact]
    public void Link_to_another_directory_is_not_followed()
    {
        var elsewhere = Path.Combine(_root, "..", Path.GetFileName(_root) + "-elsewhere");
        Directory.CreateDirectory(elsewhere);
        try
        {
            File.WriteAllText(Path.Combine(elsewhere, "x.yaml"), "");
            Directory.CreateSymbolicLink(Path.Combine(_root, "link"), elsewhere);
            Assert.Empty(SpecLoader.FindFiles(_root));
            // The directory given may itself be a link: the caller asked for it.
            Assert.Single(SpecLoader.FindFiles(Path.Combine(_root, "link")));
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public void Directory_named_yaml_is_walked_not_listed()
    {
        var inner = Write("dir.yaml", "inner.yaml");
        Assert.Equal(new[] { inner }, SpecLoader.FindFiles(_root));
        Directory.Delete(Path.Combine(_root, "dir.yaml"), recursive: true);
        Directory.CreateDirectory(Path.Combine(_root, "dir.yaml"));
        Assert.Empty(SpecLoader.FindFiles(_root));
    }

    [Fact]
    public void Dangling_file_link_is_listed_so_that_reading_it_is_reported()
    {
        var link = Path.Combine(_root, "gone.yaml");
        File.CreateSymbolicLink(link, Path.Combine(_root, "missing.yaml"));
        Assert.Equal(new[] { link }, SpecLoader.FindFiles(_root));
    }

    [Fact]
    public void Yml_files_are_found_as_ignored()
    {
        var yml = Write("sub", "exits.yml");
        Write("vmcs.yaml");
        Assert.Equal(new[] { yml }, SpecLoader.FindIgnoredFiles(_root));
    }

    [Fact]
    public void Proc_self_is_walked_without_following_root()
    {
        if (!Directory.Exists("/proc/self/root")) return; // Linux only
        var unreadable = 0;
        var files = SpecLoader.FindFiles("/proc/self", (_, _) => unreadable++);
        Assert.Empty(files);
    }

    [Fact]
    public void Load_files_links_texts_already_read()
    {
        var real = SpecLoader.FindFiles(TestSpec.SpecDirectory).Select(p => (p, File.ReadAllText(p))).ToList();
        var result = SpecLoader.LoadFiles(real, TestSpec.RepoRoot);
        Assert.False(result.HasErrors, TestSpec.Describe(result));
        Assert.Equal(206, result.Model.VmcsFields.Count);
    }
}
