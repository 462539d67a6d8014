using Analytics.Host;

namespace Analytics.EndToEnd.Tests;

public sealed class HostConfigurationTests
{
    [Fact]
    public void An_unknown_transport_stops_composition_with_a_message_naming_the_setting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            AnalyticsHost.Create([], new Dictionary<string, string?> { ["Transport:Kind"] = "carrier-pigeon" }));
        Assert.Contains("Transport:Kind", ex.Message, StringComparison.Ordinal);
        Assert.Contains("inprocess", ex.Message, StringComparison.Ordinal);
    }
}
