namespace Analytics.Privacy;

/// <summary>
/// One audit record of the key ring: which site's key for which day was created or destroyed, and when.
/// It never carries key material.
/// </summary>
/// <param name="Site">Site identifier.</param>
/// <param name="Day">Site-local day the key belongs to.</param>
/// <param name="Action"><c>"created"</c> or <c>"destroyed"</c>.</param>
/// <param name="At">When it happened (from the ring's <see cref="TimeProvider"/>).</param>
public sealed record KeyAuditEntry(string Site, DateOnly Day, string Action, DateTimeOffset At)
{
    /// <summary>Value of <see cref="Action"/> when a key is created.</summary>
    public const string Created = "created";

    /// <summary>Value of <see cref="Action"/> when a key is destroyed.</summary>
    public const string Destroyed = "destroyed";
}
