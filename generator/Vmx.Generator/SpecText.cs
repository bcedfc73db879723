using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Vmx.Generator;

/// <summary>The text of a spec file as the loader must see it. The compiler decodes an additional file that is not
/// valid UTF-8 with a fallback code page (1252 or Latin-1), so a Latin-1 byte would arrive as a plausible letter; the
/// file's bytes are recovered from that code page and decoded as UTF-8 again, so each invalid byte becomes U+FFFD,
/// which the loader reports where the byte is (VMX0025).</summary>
internal static class SpecText
{
    private static readonly Encoding LenientUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static string Of(SourceText? source)
    {
        if (source is null) return "";
        var text = source.ToString();
        var encoding = source.Encoding;
        // Unicode encodings (UTF-8, or UTF-16/32 announced by a byte order mark) decoded the file as it is.
        if (encoding is null || encoding is UTF8Encoding or UnicodeEncoding or UTF32Encoding || encoding.CodePage is 65001 or 1200 or 1201 or 12000 or 12001)
            return text;
        try
        {
            return LenientUtf8.GetString(encoding.GetBytes(text));
        }
        catch (EncoderFallbackException)
        {
            return text;
        }
    }
}
