using Microsoft.Extensions.Logging;

namespace Analytics.Transport.Tests;

/// <summary>Diagnostics: when TRANSPORT_TEST_LOG names a file, transport logs go there.</summary>
internal sealed class FileLogger<T>(string path) : ILogger<T>
{
    private static readonly Lock Gate = new();
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Gate) File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss.fff} {typeof(T).Name} {logLevel} {formatter(state, exception)}{Environment.NewLine}");
    }

    public static ILogger<T> Create(string suffix = "") =>
        Environment.GetEnvironmentVariable("TRANSPORT_TEST_LOG") is { Length: > 0 } p ? new FileLogger<T>(p + suffix) : Microsoft.Extensions.Logging.Abstractions.NullLogger<T>.Instance;
}

internal sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Named(path, categoryName);
    public void Dispose() { }

    private sealed class Named(string path, string name) : ILogger
    {
        private static readonly Lock Gate = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Gate) File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss.fff} {name} {logLevel} {formatter(state, exception)} {exception}{Environment.NewLine}");
        }
    }
}
