using System.Text.RegularExpressions;

namespace Vmx;

/// <summary>What a kernel log puts before a message: a syslog level (<c>&lt;3&gt;</c>), a journal or syslog header
/// (<c>Dec  2 14:00:01 host kernel: </c>, ISO dates too), a dmesg timestamp (<c>[  123.456789]</c>, <c>dmesg -T</c>'s
/// <c>[Wed Dec  2 14:00:01 2026]</c>) with an optional caller id (<c>[ T1234]</c>), and the module prefix KVM's pr_fmt adds
/// (<c>kvm_intel: </c>, <c>kvm: </c>). Lines continued with pr_cont have only some of these; each part is optional.</summary>
// Plain Regex, not [GeneratedRegex]: the generator tests compile the runtime's sources without the regex generator.
internal static class KvmLogPrefix
{
    private static readonly Regex SyslogLevel = new(@"\G<\d{1,2}>", RegexOptions.CultureInvariant);

    private static readonly Regex JournalHeader = new(@"\G(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) \S+ kernel: ", RegexOptions.CultureInvariant);

    private static readonly Regex Timestamp = new(@"\G\[(?:\s*\d+\.\d+|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4})\](?:\[\s*[TC]\d+\])? ?", RegexOptions.CultureInvariant);

    private static readonly Regex Module = new(@"\G(?:kvm_intel|kvm-intel|kvm): ", RegexOptions.CultureInvariant);

    /// <summary>The index in <paramref name="line"/> where the message starts.</summary>
    public static int MessageStart(string line)
    {
        var i = 0;
        foreach (var part in new[] { SyslogLevel, JournalHeader, SyslogLevel, Timestamp, Module })
            if (part.Match(line, i) is { Success: true } m) i += m.Length;
        return i;
    }
}
