namespace Analytics.Privacy;

/// <summary>What analytics keeps of a User-Agent: families and a major version, nothing finer.</summary>
/// <param name="Browser"><c>Chrome</c>, <c>Firefox</c>, <c>Safari</c>, <c>Edge</c>, <c>Opera</c>, <c>Samsung Internet</c> or <c>other</c>.</param>
/// <param name="BrowserVersion">Major version (<c>"120"</c>), or empty when unknown or the browser is <c>other</c>.</param>
/// <param name="Os"><c>Windows</c>, <c>macOS</c>, <c>iOS</c>, <c>Android</c>, <c>Linux</c>, <c>ChromeOS</c> or <c>other</c>.</param>
/// <param name="Device"><c>desktop</c>, <c>mobile</c>, <c>tablet</c>, <c>bot</c> or <c>unknown</c>.</param>
public readonly record struct UserAgentInfo(string Browser, string BrowserVersion, string Os, string Device);
