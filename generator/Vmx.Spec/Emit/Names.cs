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

    // Text from the spec is escaped where a template writes it, once per output context: the template pipes it through
    // the function of its context (xml, c_comment, literal, cell). Every function keeps the text on one line, so a
    // multi-line description cannot escape a /// line or a C comment.

    /// <summary>A C# string literal: quotes, backslashes and line breaks escaped, other control characters as spaces.</summary>
    public static string CsLiteral(string text) => Literal(text, c: false);

    /// <summary>A C string literal: as <see cref="CsLiteral"/>, and <c>??</c> written <c>?\?</c> so no trigraph forms.</summary>
    public static string CLiteral(string text) => Literal(text, c: true);

    private static string Literal(string text, bool c)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            switch (ch)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '?' when c && i + 1 < text.Length && text[i + 1] == '?': builder.Append("?\\"); break;
                default: builder.Append(char.IsControl(ch) ? ' ' : ch); break;
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>Text inside a C block comment on one line: no <c>*/</c> or <c>/*</c>, no <c>??</c> (a trigraph
    /// <c>??/</c> would splice lines), no line breaks.</summary>
    public static string CComment(string text)
    {
        var line = OneLine(text);
        var builder = new StringBuilder(line.Length);
        foreach (var ch in line)
        {
            var previous = builder.Length > 0 ? builder[builder.Length - 1] : '\0';
            if ((previous == '*' && ch == '/') || (previous == '/' && ch == '*') || (previous == '?' && ch == '?')) builder.Append(' ');
            builder.Append(ch);
        }
        return builder.ToString();
    }

    /// <summary>Text inside a C# XML doc comment on one line: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> as entities, no line breaks.</summary>
    public static string XmlComment(string text) => OneLine(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Text in a Markdown table cell (or any one-line Markdown text): <c>|</c> escaped, no line breaks.</summary>
    public static string Cell(string text) => OneLine(text).Replace("|", "\\|");

    /// <summary>The text with every run of line breaks, tabs and other control characters made one space.</summary>
    public static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        var inBreak = false;
        foreach (var ch in text)
        {
            if (char.IsControl(ch))
            {
                if (!inBreak) builder.Append(' ');
                inBreak = true;
                continue;
            }
            inBreak = false;
            builder.Append(ch);
        }
        return builder.ToString();
    }

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

    /// <summary>The C macro of a VMCS field's encoding: <c>guest_cr0</c> → <c>VMCS_GUEST_CR0</c>.</summary>
    public static string VmcsMacro(string fieldId) => "VMCS_" + Upper(fieldId);

    /// <summary>The C# name of a VMCS field's encoding: <c>guest_cr0</c> → <c>VmcsField.GuestCr0</c>.</summary>
    public static string VmcsMember(string fieldId) => "VmcsField." + Pascal(fieldId);

    /// <summary>Where Intel publishes the SDM. It is one document without stable per-section addresses, so a reference
    /// page links an entry's SDM section title there.</summary>
    public const string SdmUrl = "https://www.intel.com/content/www/us/en/developer/articles/technical/intel-sdm.html";

    /// <summary>A Markdown link, for a table cell, from an SDM section title to the SDM: <c>[Title](SdmUrl)</c>.</summary>
    public static string SdmLink(string section) =>
        "[" + Cell(section).Replace("[", "\\[").Replace("]", "\\]") + "](" + SdmUrl + ")";

    /// <summary>An explicit Markdown anchor id: <c>("layout", "exit_reason")</c> → <c>layout-exit-reason</c>.</summary>
    public static string Anchor(string kind, string id) => kind + "-" + id.Replace('_', '-');

}
