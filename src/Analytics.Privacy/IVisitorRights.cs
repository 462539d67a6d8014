namespace Analytics.Privacy;

/// <summary>
/// The data subject's rights on the device they browse from: forget it, and tell what is held about it. The public
/// endpoints (collector side) capture who asks — site, client IP and User-Agent, exactly as for an event — and the
/// component that holds the day keys (the anonymizer) answers, so identifiers still reach only that component.
/// </summary>
public interface IVisitorRights
{
    /// <summary>
    /// Deletes the device's stored events of every day whose key still exists (today and yesterday) and excludes the
    /// device's further events of those days.
    /// </summary>
    /// <param name="requester">Who asks.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<ForgetOutcome> ForgetAsync(VisitorIdentity requester, CancellationToken cancellationToken);

    /// <summary>Counts what is held about the device, per day whose key still exists.</summary>
    /// <param name="requester">Who asks.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<HeldAboutDevice> WhatWeHoldAsync(VisitorIdentity requester, CancellationToken cancellationToken);
}

/// <summary>
/// The identifying triple of a rights request. Not a record on purpose: a generated <c>ToString</c> would print the IP
/// and User-Agent into whatever logs it.
/// </summary>
/// <param name="site">Site identifier.</param>
/// <param name="clientIp">Client IP as the collector resolves it.</param>
/// <param name="userAgent">User-Agent header.</param>
public sealed class VisitorIdentity(string site, string clientIp, string userAgent)
{
    /// <summary>Site identifier.</summary>
    public string Site { get; } = site;

    /// <summary>Client IP (never log it).</summary>
    public string ClientIp { get; } = clientIp;

    /// <summary>User-Agent (never log it).</summary>
    public string UserAgent { get; } = userAgent;

    /// <inheritdoc />
    public override string ToString() => $"visitor of site {Site}";
}

/// <summary>What a forget request did.</summary>
/// <param name="Days">Days whose key still existed (the days the device could be found in).</param>
/// <param name="EventsDeleted">Stored events of the device deleted.</param>
public sealed record ForgetOutcome(IReadOnlyList<DateOnly> Days, long EventsDeleted);

/// <summary>What is held about a device on one day whose key still exists.</summary>
/// <param name="Day">Site-local day.</param>
/// <param name="Events">Stored events of the device that day.</param>
/// <param name="Excluded">Whether the device asked to be forgotten that day (its further events are dropped).</param>
public sealed record HeldDay(DateOnly Day, long Events, bool Excluded);

/// <summary>What is held about a device.</summary>
/// <param name="Days">One entry per day whose key still exists; empty when no key exists (nothing can be linked).</param>
public sealed record HeldAboutDevice(IReadOnlyList<HeldDay> Days);
