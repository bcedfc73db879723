using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vmx.Spec.Loading;

/// <summary>Turns YamlDotNet marks into <see cref="SourceLocation"/>s of one file.</summary>
internal sealed class SourceMap
{
    public SourceMap(string path) => Path = path;

    public string Path { get; }

    public SourceLocation Locate(YamlNode node)
    {
        var end = End(node);
        return new(Path, (int)node.Start.Line, (int)node.Start.Column, (int)end.Line, (int)end.Column,
            (int)node.Start.Index, (int)end.Index);
    }

    // YamlDotNet ends a block mapping or sequence where it starts (its End is that of the MappingStart event), so
    // an entry's span would be empty and the IDE would underline nothing: an entry ends where its last value ends.
    // Only children that start after their parent are followed: an alias points back to an earlier node (or to
    // the node itself, in a recursive document), which must not be walked again.
    private static Mark End(YamlNode node)
    {
        var last = node switch
        {
            YamlMappingNode { Children.Count: > 0 } mapping => mapping.Children.Last().Value,
            YamlSequenceNode { Children.Count: > 0 } sequence => sequence.Children.Last(),
            _ => null,
        };
        if (last is null || last.Start.Index <= node.Start.Index) return node.End;
        var end = End(last);
        return end.Index > node.End.Index ? end : node.End;
    }
}
