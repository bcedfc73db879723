namespace Vmx;

/// <summary>What the spec says about one VM-instruction error.</summary>
public sealed record VmInstructionErrorInfo(VmInstructionError Error, string Id, string Title, string Description)
{
    public uint Number => (uint)Error;
}

/// <summary>Every VM-instruction error of the spec; the generated half holds <c>All</c> and <c>Find(uint)</c>.</summary>
public static partial class VmInstructionErrorCatalog
{
    public static VmInstructionErrorInfo? Find(VmInstructionError error) => Find((uint)error);

    /// <summary>The SDM's title of the error with this number, or null.</summary>
    public static string? TitleOf(uint number) => Find(number)?.Title;
}
