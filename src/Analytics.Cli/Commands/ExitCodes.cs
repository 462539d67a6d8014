namespace Analytics.Cli.Commands;

/// <summary>Process exit codes of the <c>analytics</c> tool.</summary>
public static class ExitCodes
{
    /// <summary>Everything ran and every request got an answer.</summary>
    public const int Ok = 0;
    /// <summary>The run finished but some requests failed, a bench part failed or timed out.</summary>
    public const int Failed = 1;
    /// <summary>Invalid command line or option values.</summary>
    public const int Usage = 2;
    /// <summary>The collector (or stats API) could not be reached at all.</summary>
    public const int Unreachable = 3;
    /// <summary>Interrupted (Ctrl+C) before a finite run completed.</summary>
    public const int Cancelled = 130;
}
