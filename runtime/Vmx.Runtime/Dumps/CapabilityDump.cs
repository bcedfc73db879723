using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Vmx;

/// <summary>Reads and writes the capability dump the C driver prints (tests/fixtures/caps/*.json):
/// <c>{"model": "…", "msrs": {"0x480": "0x00d810000000002b", "0x492": "gp", …}}</c> — every MSR address is one the spec
/// lists, every value is 64-bit hex or "gp" for an RDMSR that raised #GP. Other top-level members are ignored, so the
/// driver may add facts without breaking older readers.</summary>
public static class CapabilityDump
{
    /// <summary>The value written for an MSR whose RDMSR raised #GP.</summary>
    public const string GeneralProtection = "gp";

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DumpFormatException">The file is not a capability dump; the message says where and why.</exception>
    /// <exception cref="ArgumentException">The dump is well formed but not of a VMX processor.</exception>
    public static VmxCapabilities Load(string path) => Parse(File.ReadAllText(path), path);

    public static VmxCapabilities Parse(string json, string source = "<dump>")
    {
        var (model, msrs) = ParseSnapshot(json, source);
        return VmxCapabilities.FromMsrs(msrs, model);
    }

    public static (string? Model, MsrSnapshot Msrs) ParseSnapshot(string json, string source = "<dump>")
    {
        if (LocatedJson.Parse(json, source) is not LocatedJson.Object root)
            throw new DumpFormatException(source, 1, 1, "a capability dump is a JSON object with \"model\" and \"msrs\"");
        string? model = null;
        LocatedJson.Object? msrsObject = null;
        foreach (var member in root.Members)
        {
            if (member.Name == "model")
                model = member.Value is LocatedJson.Text t ? t.Value : throw LocatedJson.Error(source, member.Value, "\"model\" must be a string");
            else if (member.Name == "msrs")
                msrsObject = member.Value as LocatedJson.Object ?? throw LocatedJson.Error(source, member.Value, "\"msrs\" must be an object of \"0xADDRESS\": \"0xVALUE\" | \"gp\"");
        }
        if (msrsObject is null) throw LocatedJson.Error(source, root, "no \"msrs\" object");

        var values = new Dictionary<uint, ulong?>();
        foreach (var entry in msrsObject.Members)
        {
            var address = (uint)LocatedJson.Number(source, new LocatedJson.Text(entry.Line, entry.Column, entry.Name), 32, "an MSR address");
            if (MsrCatalog.Find(address) is null) throw LocatedJson.Error(source, entry, $"unknown MSR {entry.Name}: the spec lists no MSR at that address");
            if (values.ContainsKey(address)) throw LocatedJson.Error(source, entry, $"MSR {entry.Name} appears twice");
            values[address] = entry.Value is LocatedJson.Text { Value: GeneralProtection }
                ? null
                : LocatedJson.Number(source, entry.Value, 64, $"the value of MSR {entry.Name}");
        }
        return (model, new MsrSnapshot(values));
    }

    /// <summary>The dump text for a snapshot, in the format <see cref="Parse"/> reads (and the C driver prints).</summary>
    public static string Format(MsrSnapshot msrs, string? model)
    {
        var text = new StringBuilder("{\n");
        if (model is not null) text.Append("  \"model\": ").Append(JsonSerializer.Serialize(model)).Append(",\n");
        text.Append("  \"msrs\": {\n");
        var lines = msrs.Addresses.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"    \"0x{a:x}\": \"{(msrs.TryRead(a, out var v) ? $"0x{v:x16}" : GeneralProtection)}\""));
        text.Append(string.Join(",\n", lines)).Append("\n  }\n}\n");
        return text.ToString();
    }
}
