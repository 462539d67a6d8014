namespace Analytics.Privacy;

/// <summary>A page URL after scrubbing.</summary>
/// <param name="Host">Lower-case host without user-info or port; <c>[ip]</c> for an IP literal; empty when the URL had none or it was invalid.</param>
/// <param name="Path">The path, starting with <c>/</c>, personal data replaced by placeholders, at most <see cref="UrlScrubber.MaxPathLength"/> chars.</param>
/// <param name="Query">The kept (allow-listed, scrubbed) parameters starting with <c>?</c> in a stable order, or empty.</param>
public readonly record struct ScrubbedUrl(string Host, string Path, string Query);
