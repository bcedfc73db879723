using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Vmx;

/// <summary>A whole VMCS as JSON (format: runtime/Vmx.Runtime/README.md), so that a VMCS read by the C driver in Bochs
/// and one built in C# can be compared, checked and replayed:
/// <c>{"revision": "0x00000004", "launch_state": "clear", "fields": {"guest_rip": {"encoding": "0x681e", "value": "0x…"}}}</c>.
/// Field names and encodings both come from the generated catalog; reading checks that they agree.</summary>
public static class VmcsDump
{
    public static string Save(InMemoryVmcs vmcs)
    {
        var text = new StringBuilder("{\n");
        text.Append(Invariant($"  \"revision\": \"0x{vmcs.RevisionId:x8}\",\n"));
        text.Append(Invariant($"  \"launch_state\": \"{(vmcs.LaunchState == VmcsLaunchState.Clear ? "clear" : "launched")}\",\n"));
        text.Append("  \"fields\": {\n");
        var lines = vmcs.Fields.Select(f => Invariant($"    \"{f.Field.Id}\": {{\"encoding\": \"0x{f.Field.Encoding:x4}\", \"value\": \"0x{f.Value:x16}\"}}"));
        text.Append(string.Join(",\n", lines)).Append("\n  }\n}\n");
        return text.ToString();
    }

    /// <exception cref="DumpFormatException">Not a VMCS dump, an unknown field, a name and encoding that disagree, a
    /// value wider than its field, or a field the given processor does not have.</exception>
    public static InMemoryVmcs Load(string path, VmxCapabilities? capabilities = null) => Parse(File.ReadAllText(path), path, capabilities);

    public static InMemoryVmcs Parse(string json, string source = "<vmcs>", VmxCapabilities? capabilities = null)
    {
        if (LocatedJson.Parse(json, source) is not LocatedJson.Object root)
            throw new DumpFormatException(source, 1, 1, "a VMCS dump is a JSON object with \"revision\" and \"fields\"");
        var revision = root.Members.FirstOrDefault(m => m.Name == "revision") ?? throw LocatedJson.Error(source, root, "no \"revision\"");
        var vmcs = new InMemoryVmcs((uint)LocatedJson.Number(source, revision.Value, VmcsRegionHeader.RevisionIdentifierWidth, "\"revision\""), capabilities);
        if (root.Members.FirstOrDefault(m => m.Name == "launch_state") is { } launch)
        {
            vmcs.LaunchState = launch.Value switch
            {
                LocatedJson.Text { Value: "clear" } => VmcsLaunchState.Clear,
                LocatedJson.Text { Value: "launched" } => VmcsLaunchState.Launched,
                _ => throw LocatedJson.Error(source, launch.Value, $"\"launch_state\" is \"clear\" or \"launched\", not {LocatedJson.Describe(launch.Value)}"),
            };
        }
        var fields = root.Members.FirstOrDefault(m => m.Name == "fields")?.Value as LocatedJson.Object
            ?? throw LocatedJson.Error(source, root, "no \"fields\" object");
        foreach (var entry in fields.Members) ReadField(source, entry, vmcs);
        return vmcs;
    }

    private static void ReadField(string source, LocatedJson.Member entry, InMemoryVmcs vmcs)
    {
        var info = VmcsFieldCatalog.All.FirstOrDefault(f => f.Id == entry.Name)
            ?? throw LocatedJson.Error(source, entry, $"unknown VMCS field \"{entry.Name}\"");
        if (entry.Value is not LocatedJson.Object body) throw LocatedJson.Error(source, entry.Value, $"\"{entry.Name}\" must be {{\"encoding\": …, \"value\": …}}");
        if (body.Members.FirstOrDefault(m => m.Name == "encoding") is { } encoding)
        {
            var number = LocatedJson.Number(source, encoding.Value, 32, "\"encoding\"");
            if (number != info.Encoding)
                throw LocatedJson.Error(source, encoding.Value, Invariant($"{info.Id} has encoding 0x{info.Encoding:x4}, not 0x{number:x4}"));
        }
        var value = body.Members.FirstOrDefault(m => m.Name == "value") ?? throw LocatedJson.Error(source, body, $"\"{entry.Name}\" has no \"value\"");
        if (!vmcs.Exists(info)) throw LocatedJson.Error(source, entry, $"{info.Id} does not exist on this processor (VMREAD would fail with error 12)");
        vmcs.Store(info.Field, LocatedJson.Number(source, value.Value, info.BitWidth, $"the value of {info.Id}"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
