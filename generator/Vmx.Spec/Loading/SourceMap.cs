using YamlDotNet.RepresentationModel;

namespace Vmx.Spec.Loading;

/// <summary>Turns YamlDotNet marks into <see cref="SourceLocation"/>s of one file.</summary>
internal sealed class SourceMap
{
    public SourceMap(string path) => Path = path;

    public string Path { get; }

    public SourceLocation Locate(YamlNode node) =>
        new(Path, (int)node.Start.Line, (int)node.Start.Column, (int)node.End.Line, (int)node.End.Column,
            (int)node.Start.Index, (int)node.End.Index);
}
