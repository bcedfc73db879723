using System.Collections.Generic;
using System.Text.RegularExpressions;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;
using YamlDotNet.RepresentationModel;

namespace Vmx.Spec.Loading;

/// <summary>CPU facts read with CPUID (spec/cpuid/*.yaml).</summary>
internal static class CpuidReader
{
    internal static readonly string[] Keys = { "id", "leaf", "subleaf", "register", "bits", "title", "section", "description" };

    private readonly record struct RegisterName(string Name);

    private static readonly Dictionary<string, RegisterName> Registers = new()
    {
        ["eax"] = new("eax"), ["ebx"] = new("ebx"), ["ecx"] = new("ecx"), ["edx"] = new("edx"),
    };

    // cpuid.<leaf in hex>[.<subleaf>].<register>.<name>: dots separate the parts, the name is lower snake_case.
    private static readonly Regex IdPattern = new(@"^cpuid(\.[0-9a-f]+){1,2}\.(eax|ebx|ecx|edx)\.[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);

    public static CpuidBits? Read(YamlNode node, Context context)
    {
        var reader = MappingReader.Open(node, context.Source, context.Diagnostics, "a CPUID entry", Keys);
        if (reader is null) return null;
        var id = reader.String("id");
        var leaf = reader.Hex("leaf");
        var subleaf = reader.Has("subleaf") ? reader.Number("subleaf") : null;
        var register = reader.Choice("register", Registers);
        var bits = reader.BitRange("bits");
        var title = reader.String("title");
        var section = reader.String("section");
        var description = reader.String("description", required: false) ?? "";
        if (id is not null && !IdPattern.IsMatch(id))
        {
            context.Diagnostics.Add(DiagnosticRule.InvalidCpuidId, reader.LocationOf("id"), id);
            id = null;
        }
        if (leaf > uint.MaxValue || subleaf > uint.MaxValue)
        {
            context.Diagnostics.Add(DiagnosticRule.ValueDoesNotFit, reader.LocationOf(leaf > uint.MaxValue ? "leaf" : "subleaf"),
                $"CPUID {(leaf > uint.MaxValue ? "leaf" : "subleaf")} 0x{(leaf > uint.MaxValue ? leaf : subleaf):X}", "32 bits (EAX, ECX)");
            return null;
        }
        if (bits is { Msb: > 31 })
        {
            context.Diagnostics.Add(DiagnosticRule.BitBeyondWidth, reader.LocationOf("bits"), id ?? "?",
                bits.Value.Msb == bits.Value.Lsb ? $"{bits.Value.Msb}" : $"{bits.Value.Msb}:{bits.Value.Lsb}", "32", "CPUID output register");
            return null;
        }
        if (!reader.IsValid || id is null || leaf is null || register is null || bits is null || title is null || section is null) return null;
        var entry = new CpuidBits(id, (uint)leaf.Value, (uint?)subleaf, register.Value.Name, bits.Value.Lsb, bits.Value.Msb, title, section,
            description, context.Revision);
        return context.Sources.Add(entry, reader.Location);
    }
}
