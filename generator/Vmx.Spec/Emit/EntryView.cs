namespace Vmx.Spec.Emit;

/// <summary>What every view of a spec entry shares: its id, title and description, as the spec states them. Templates
/// escape them where they write them (<c>{{ x.title | xml }}</c>; functions of <see cref="Names"/>, registered by the
/// <see cref="Emitter"/> for each output's contexts).</summary>
public abstract class EntryView
{
    protected EntryView(string id, string title, string description, object entry)
    {
        Entry = entry;
        Id = id;
        Title = title;
        Description = description;
    }

    /// <summary>The model entry this view shows (for the name lint's locations; not visible to templates).</summary>
    internal object Entry { get; }

    public string Id { get; }
    public string Title { get; }
    public string Description { get; }
}
