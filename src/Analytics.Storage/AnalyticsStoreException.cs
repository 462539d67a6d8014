namespace Analytics.Storage;

/// <summary>
/// A store operation failed: the engine refused a statement, or the store is misconfigured. The message carries the
/// engine's explanation but never row data (insert errors are reduced to the error code and the column involved).
/// </summary>
public sealed class AnalyticsStoreException : Exception
{
    public AnalyticsStoreException(string message) : base(message)
    {
    }

    public AnalyticsStoreException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public AnalyticsStoreException(string message, int? engineCode, string? engineErrorName) : base(message)
    {
        EngineCode = engineCode;
        EngineErrorName = engineErrorName;
    }

    /// <summary>The engine's numeric error code (<c>Code: 60.</c>), when the engine reported one.</summary>
    public int? EngineCode { get; }

    /// <summary>The engine's error name, e.g. <c>UNKNOWN_TABLE</c>, when the engine reported one.</summary>
    public string? EngineErrorName { get; }
}
