using System;

namespace Vmx;

/// <summary>A dump (capabilities or VMCS) that cannot be read, with where: <c>source(line,column): message</c>.</summary>
public sealed class DumpFormatException : FormatException
{
    public DumpFormatException(string source, int line, int column, string problem)
        : base($"{source}({line},{column}): {problem}")
    {
        Source = source;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public new string Source { get; }
    public int Line { get; }
    public int Column { get; }

    /// <summary>The message without the location.</summary>
    public string Problem { get; }
}
