using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Analytics.Security;

/// <summary>
/// Dashboard sessions live on the server, in memory; the cookie holds only a random session id. So logout really ends
/// a session (a copied cookie stops working), and a restart logs everybody out. Several replicas behind one address
/// need sticky sessions or a shared <see cref="ITicketStore"/>.
/// </summary>
internal sealed class SessionTicketStore(TimeProvider time) : ITicketStore
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _sessions = new(StringComparer.Ordinal);

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        if (_sessions.Count >= PruneAbove) Prune();
        var key = ApiKeyHash.Generate();
        _sessions[key] = ticket;
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        if (_sessions.ContainsKey(key)) _sessions[key] = ticket;
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (!_sessions.TryGetValue(key, out var ticket)) return Task.FromResult<AuthenticationTicket?>(null);
        if (Expired(ticket))
        {
            _sessions.TryRemove(key, out _);
            return Task.FromResult<AuthenticationTicket?>(null);
        }
        return Task.FromResult<AuthenticationTicket?>(ticket);
    }

    public Task RemoveAsync(string key)
    {
        _sessions.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>Number of live sessions (tests).</summary>
    internal int Count => _sessions.Count;

    private bool Expired(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc is { } expires && expires <= time.GetUtcNow();

    private void Prune()
    {
        foreach (var (key, ticket) in _sessions)
        {
            if (Expired(ticket)) _sessions.TryRemove(key, out _);
        }
    }
}
