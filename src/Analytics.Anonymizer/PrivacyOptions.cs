namespace Analytics.Anonymizer;

/// <summary>Privacy engine settings (section <c>Privacy</c>).</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// Base64 of 32 random bytes that seal the shared day keys in the store. Every anonymizer instance needs the same
    /// one (from a secret store or the environment: <c>Privacy__MasterKey</c>). When empty, <see cref="MasterKeyFile"/>
    /// is used, and created on first start (one process on a laptop).
    /// </summary>
    public string? MasterKey { get; set; }

    /// <summary>File holding the master key (base64) when <see cref="MasterKey"/> is empty; created with mode 600 if missing.</summary>
    public string MasterKeyFile { get; set; } = ".data/master.key";

    /// <summary>Names this instance in the key audit trail; default <c>machine:pid</c>.</summary>
    public string? InstanceId { get; set; }

    /// <summary>How often an instance re-reads the devices other instances were asked to forget.</summary>
    public TimeSpan ForgottenRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often keys past their 48 h are destroyed and leftovers of forgotten devices are swept.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMinutes(1);
}
