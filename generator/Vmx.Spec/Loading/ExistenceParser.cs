using System.Collections.Generic;
using System.Text.RegularExpressions;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;

namespace Vmx.Spec.Loading;

/// <summary>Parses <c>always</c>, <c>seam</c> or <c>pin.x | proc2.y</c>. Whether the references exist is the linker's job.</summary>
internal static class ExistenceParser
{
    private static readonly Regex Reference = new("^([a-z][a-z0-9_]*)\\.([a-z][a-z0-9_]*)$", RegexOptions.CultureInvariant);

    /// <summary>One control bit, <c>prefix.bit</c>.</summary>
    public static ControlReference? ParseReference(MappingReader reader, string key, Context context)
    {
        var text = reader.String(key);
        if (text is null) return null;
        var match = Reference.Match(text.Trim());
        if (match.Success) return new ControlReference(match.Groups[1].Value, match.Groups[2].Value);
        context.Diagnostics.Add(DiagnosticRule.WrongValueType, reader.LocationOf(key), key,
            "one control bit such as 'proc.activate_secondary_controls'", text);
        return null;
    }

    public static ExistenceCondition? Parse(MappingReader reader, string key, Context context)
    {
        var text = reader.String(key);
        if (text is null) return null;
        if (text.Trim() == "always") return ExistenceCondition.Always;
        if (text.Trim() == ExistenceCondition.SeamKeyword) return ExistenceCondition.Seam;
        var references = new List<ControlReference>();
        foreach (var part in text.Split('|'))
        {
            var match = Reference.Match(part.Trim());
            if (!match.Success)
            {
                context.Diagnostics.Add(DiagnosticRule.WrongValueType, reader.LocationOf(key), key,
                    "'always', 'seam' or control bits joined by '|' such as 'proc2.enable_ept'", text);
                return null;
            }
            references.Add(new ControlReference(match.Groups[1].Value, match.Groups[2].Value));
        }
        return new ExistenceCondition(references.ToEquatableArray());
    }
}
