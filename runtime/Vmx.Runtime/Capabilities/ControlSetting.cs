namespace Vmx;

/// <summary>What the capability MSRs allow for one control bit (SDM "VMX Capability Reporting Facility").</summary>
public enum ControlSetting
{
    /// <summary>Allowed-1 is clear: VM entry fails if the bit is 1.</summary>
    MustBe0,
    /// <summary>Allowed-0 is set: VM entry fails if the bit is 0.</summary>
    MustBe1,
    /// <summary>Either setting is allowed.</summary>
    Flexible,
}
