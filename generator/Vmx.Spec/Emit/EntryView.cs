namespace Vmx.Spec.Emit;

/// <summary>What every view of a spec entry shares: its id, title and description, and those texts made safe
/// for each place a template puts them (a C or C# string literal, an XML doc comment, a C comment, a Markdown
/// table cell). Templates reach them in snake_case (title_xml, description_cell, ...).</summary>
public abstract class EntryView
{
    protected EntryView(string id, string title, string description)
    {
        Id = id;
        Title = title;
        Description = description;
    }

    public string Id { get; }
    public string Title { get; }
    public string Description { get; }

    public string IdLiteral => Names.Literal(Id);
    public string TitleLiteral => Names.Literal(Title);
    public string DescriptionLiteral => Names.Literal(Description);
    public string TitleXml => Names.XmlComment(Title);
    public string DescriptionXml => Names.XmlComment(Description);
    public string TitleComment => Names.CComment(Title);
    public string DescriptionComment => Names.CComment(Description);
    public string TitleCell => Names.Cell(Title);
    public string DescriptionCell => Names.Cell(Description);
}
