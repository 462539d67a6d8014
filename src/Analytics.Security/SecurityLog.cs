using Microsoft.Extensions.Logging;

namespace Analytics.Security;

/// <summary>Log lines of the security component. None carries a key, password, hash, address or a failed username.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "API key rejected: {Reason}")]
    public static partial void ApiKeyRejected(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Dashboard login succeeded for {User}")]
    public static partial void LoginSucceeded(this ILogger logger, string user);

    // The attempted username is left out on purpose: people type passwords into the username field.
    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Dashboard login failed")]
    public static partial void LoginFailed(this ILogger logger);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Dashboard login locked for {LockoutSeconds} s after {Failures} failures")]
    public static partial void LoginLocked(this ILogger logger, double lockoutSeconds, int failures);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Credential state file {Path} is unreadable ({Error}); development credentials will be created anew")]
    public static partial void StateFileUnreadable(this ILogger logger, string path, string error);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Credential state file {Path}: entry {Index} is malformed and ignored")]
    public static partial void StateEntryIgnored(this ILogger logger, string path, int index);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Development {Kind} created; its hash is kept in {StatePath}, the secret in {SecretPath}")]
    public static partial void DevelopmentCredentialCreated(this ILogger logger, string kind, string statePath, string secretPath);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Credentials loaded: {Keys} API keys, {Users} dashboard logins")]
    public static partial void CredentialsLoaded(this ILogger logger, int keys, int users);
}
