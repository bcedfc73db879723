using System.Linq;
using System.Text;

namespace Vmx.Spec.Emit;

/// <summary>How a spec id becomes a name in each language. The only place that decides it.</summary>
public static class Names
{
    /// <summary><c>guest_ia32_pat</c> → <c>GuestIa32Pat</c>.</summary>
    public static string Pascal(string id) =>
        string.Concat(id.Split('_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));

    /// <summary><c>guest_ia32_pat</c> → <c>GUEST_IA32_PAT</c>.</summary>
    public static string Upper(string id) => id.ToUpperInvariant();

    public static string Hex(ulong value, int digits) => "0x" + value.ToString("X" + digits);

    /// <summary>Escapes text for a C or C# string literal.</summary>
    public static string Literal(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                default: builder.Append(c < ' ' ? ' ' : c); break;
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>Makes text safe inside a C block comment.</summary>
    public static string CComment(string text) => text.Replace("*/", "* /");

    /// <summary>Makes text safe inside an XML doc comment.</summary>
    public static string XmlComment(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Makes text safe in a Markdown table cell.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
