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

    /// <summary>A C# member name: <see cref="Pascal"/>, with a leading underscore if the id starts with a digit.</summary>
    public static string PascalMember(string id)
    {
        var pascal = Pascal(id);
        return pascal.Length > 0 && char.IsDigit(pascal[0]) ? "_" + pascal : pascal;
    }

    /// <summary>The C name stem of an id that follows a <c>vmx_</c>/<c>VMX_</c> prefix: the id without a leading
    /// <c>vmx_</c>, so <c>vmx_control_capability</c> becomes <c>vmx_control_capability_get_…</c>, not <c>vmx_vmx_…</c>.</summary>
    public static string CStem(string id) => id.StartsWith("vmx_", System.StringComparison.Ordinal) && id.Length > 4 ? id.Substring(4) : id;

    /// <summary>The narrowest C# unsigned type that holds <paramref name="bits"/> bits.</summary>
    public static string CsUnsigned(int bits) => bits <= 8 ? "byte" : bits <= 16 ? "ushort" : bits <= 32 ? "uint" : "ulong";

    /// <summary>The narrowest C fixed-width unsigned type that holds <paramref name="bits"/> bits.</summary>
    public static string CUnsigned(int bits) => bits <= 8 ? "uint8_t" : bits <= 16 ? "uint16_t" : bits <= 32 ? "uint32_t" : "uint64_t";

    /// <summary>An explicit Markdown anchor id: <c>("layout", "exit_reason")</c> → <c>layout-exit-reason</c>.</summary>
    public static string Anchor(string kind, string id) => kind + "-" + id.Replace('_', '-');

    /// <summary>Makes text safe in a Markdown table cell.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
