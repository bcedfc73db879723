namespace Vmx.Spec;

/// <summary>Where a spec node stands: 1-based line and column of its first and last character,
/// plus the character offsets that Roslyn's TextSpan needs.</summary>
public sealed record SourceLocation(string Path, int Line, int Column, int EndLine, int EndColumn, int Start, int End)
{
    public static SourceLocation FileStart(string path) => new(path, 1, 1, 1, 1, 0, 0);

    public override string ToString() => $"{Path}({Line},{Column})";
}
