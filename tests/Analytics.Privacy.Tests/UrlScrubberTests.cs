using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Analytics.Privacy.Tests;

public sealed class UrlScrubberTests
{
    [Theory]
    [InlineData("https://shop.example/p/rose-face-serum-50ml", "/p/rose-face-serum-50ml")]
    [InlineData("https://shop.example/c/skincare/moisturizers?page=2", "/c/skincare/moisturizers")]
    [InlineData("https://shop.example/", "/")]
    [InlineData("https://shop.example", "/")]
    [InlineData("https://shop.example/p/cr%C3%A8me-br%C3%BBl%C3%A9e", "/p/cr%C3%A8me-br%C3%BBl%C3%A9e")]
    [InlineData("https://shop.example/blog/2024/06/summer-routine/", "/blog/2024/06/summer-routine/")]
    public void Ordinary_paths_are_kept_untouched(string url, string path)
    {
        var result = UrlScrubber.Scrub(url);
        Assert.Equal(path, result.Path);
        Assert.Equal("shop.example", result.Host);
        Assert.Equal(string.Empty, result.Query);
    }

    [Theory]
    [InlineData("/account/jane.doe@example.com/orders", "/account/[email]/orders")]
    [InlineData("/account/jane.doe%40example.com/orders", "/account/[email]/orders")]
    [InlineData("/account/jane.doe%2540example.com", "/account/[email]")]
    [InlineData("/u/+1-555-123-4567", "/u/[phone]")]
    [InlineData("/debug/192.168.1.20", "/debug/[ip]")]
    [InlineData("/cart/550e8400-e29b-41d4-a716-446655440000/checkout", "/cart/[uuid]/checkout")]
    [InlineData("/reset/9f86d081884c7d659a2feaa0c55ad015", "/reset/[token]")]
    [InlineData("/orders/123456789012", "/orders/[number]")]
    [InlineData("/p/12345678", "/p/12345678")]
    [InlineData("/cart;jsessionid=ABC123DEF456", "/cart")]
    [InlineData("/search/mail%20me%20at%20a%40b.co", "/search/mail%20me%20at%20[email]")]
    public void Personal_data_in_path_segments_is_replaced(string path, string expected)
    {
        Assert.Equal(expected, UrlScrubber.Scrub("https://shop.example" + path).Path);
    }

    [Fact]
    public void Keeps_only_campaign_parameters_in_a_stable_order()
    {
        var result = UrlScrubber.Scrub(
            "https://shop.example/landing?ref=newsletter&gclid=abc&utm_content=hero&fbclid=x&utm_source=news&color=red"
            + "&utm_campaign=spring%20sale&utm_medium=email&utm_id=42&utm_term=serum&msclkid=1&page=2#section");

        Assert.Equal("/landing", result.Path);
        Assert.Equal(
            "?utm_source=news&utm_medium=email&utm_campaign=spring%20sale&utm_term=serum&utm_content=hero&utm_id=42&ref=newsletter",
            result.Query);
    }

    [Theory]
    [InlineData("gclid")]
    [InlineData("fbclid")]
    [InlineData("msclkid")]
    [InlineData("dclid")]
    [InlineData("gbraid")]
    [InlineData("wbraid")]
    [InlineData("yclid")]
    [InlineData("twclid")]
    [InlineData("li_fat_id")]
    [InlineData("mc_eid")]
    [InlineData("_hsenc")]
    [InlineData("ttclid")]
    [InlineData("GCLID")]
    public void Click_ids_are_dropped_and_counted(string name)
    {
        var counters = new ScrubCounters();
        var result = UrlScrubber.Scrub($"https://shop.example/?{name}=Cj0KCQiA&utm_source=ads", counters);

        Assert.Equal("?utm_source=ads", result.Query);
        Assert.Equal(1, counters.Snapshot()["click_id"]);
    }

    [Fact]
    public void Other_parameters_are_dropped_and_counted()
    {
        var counters = new ScrubCounters();
        var result = UrlScrubber.Scrub("https://shop.example/?email=a%40b.co&session=xyz&q=serum&page=2", counters);

        Assert.Equal(string.Empty, result.Query);
        Assert.Equal(4, counters.Snapshot()["query_param"]);
        Assert.Equal(0, counters.Snapshot()["email"]); // dropped before anyone looked at the value
    }

    [Fact]
    public void Campaign_values_are_scrubbed_and_odd_names_rejected()
    {
        var result = UrlScrubber.Scrub(
            "https://shop.example/?utm_source=jane%40example.com&utm_campaign=spring+sale&utm_jane@example.com=x&utm_medium=&ref=a%2Bb");

        Assert.Equal("?utm_source=[email]&utm_campaign=spring%20sale&ref=a%2Bb", result.Query);
    }

    [Fact]
    public void Duplicate_parameters_keep_the_first()
    {
        Assert.Equal("?utm_source=a", UrlScrubber.Scrub("/x?utm_source=a&UTM_SOURCE=b").Query);
    }

    [Theory]
    [InlineData("https://user:secret@Shop.Example:8443/a?b=c#frag", "shop.example", "/a")]
    [InlineData("//shop.example/a", "shop.example", "/a")]
    [InlineData("/p/rose?utm_source=x#top", "", "/p/rose")]
    [InlineData("p/rose", "", "/p/rose")]
    [InlineData("?utm_source=x", "", "/")]
    [InlineData("https://203.0.113.9/a", "[ip]", "/a")]
    [InlineData("http://[2001:db8::1]:8080/a", "[ip]", "/a")]
    [InlineData("mailto:jane@example.com", "", "/")]
    [InlineData("javascript:alert(document.cookie)", "", "/")]
    [InlineData("http://", "", "/")]
    [InlineData("http://[::1", "", "/")]
    [InlineData("https://sho p.example/a", "", "/a")]
    [InlineData("", "", "/")]
    [InlineData("   ", "", "/")]
    [InlineData("https://shop.example//evil.example/x", "shop.example", "/evil.example/x")]
    public void Hosts_relative_and_malformed_urls_are_handled(string url, string host, string path)
    {
        var result = UrlScrubber.Scrub(url);
        Assert.Equal(host, result.Host);
        Assert.Equal(path, result.Path);
    }

    [Theory]
    [InlineData("https://203.0.113.9/orders/123456789012?utm_source=a%40b.co")]
    [InlineData("http://[2001:db8::1]:8080/a")]
    public void Scrubbing_a_scrubbed_url_changes_nothing(string url)
    {
        var once = UrlScrubber.Scrub(url);
        Assert.Equal(once, UrlScrubber.Scrub("https://" + once.Host + once.Path + once.Query));
    }

    [Fact]
    public void Path_length_is_capped_without_splitting_an_escape()
    {
        string segment = string.Concat(Enumerable.Repeat("%C3%A9", 200));
        var result = UrlScrubber.Scrub("https://shop.example/" + segment);

        Assert.True(result.Path.Length <= UrlScrubber.MaxPathLength);
        Assert.Matches("^(/)(%C3%A9)+$|^(/)(%C3%A9)+%C3$", result.Path);
    }

    [Theory]
    [InlineData("/order/1234567890/status", "/order/1234567890/status")]        // 10-digit order number: kept
    [InlineData("/p/4006381333931", "/p/[number]")]                              // 13 digits: scrubbed (could be a card or phone)
    [InlineData("/call/+4915112345678", "/call/+[number]")]                      // an international number: scrubbed
    [InlineData("/call/0151-2345-6789", "/call/[phone]")]                         // formatted phones keep the 9-digit rule
    public void Bare_digit_runs_in_paths_count_as_personal_data_from_11_digits(string path, string expected) =>
        Assert.Equal(expected, Uri.UnescapeDataString(UrlScrubber.Scrub("https://shop.example" + path).Path));

    [Fact]
    public void Titles_keep_the_stricter_9_digit_rule() =>
        Assert.Equal("Order [number]", TextScrubber.Scrub("Order 123456789"));

    [Property(MaxTest = 400)]
    public Property Personal_data_in_paths_never_survives() =>
        Prop.ForAll(PiiGen.EmbeddedInPath.ToArbitrary(), Gen.Elements(0, 1, 2).ToArbitrary(), (sample, encoding) =>
        {
            string encoded = encoding switch
            {
                0 => Uri.EscapeDataString(sample.Text),
                1 => PiiGen.EncodeAll(sample.Text),
                _ => Uri.EscapeDataString(Uri.EscapeDataString(sample.Text)),
            };
            var result = UrlScrubber.ScrubCore("https://shop.example/p/" + encoded + "/reviews", null);
            return NotLeaked(result, sample.Pii).And(Idempotent(result));
        });

    [Property(MaxTest = 400)]
    public Property Personal_data_in_campaign_values_never_survives() =>
        Prop.ForAll(PiiGen.Embedded.ToArbitrary(), sample =>
        {
            string value = Uri.EscapeDataString(sample.Text);
            var result = UrlScrubber.ScrubCore(
                $"https://shop.example/?utm_campaign={value}&ref={PiiGen.EncodeAll(sample.Text)}&email={value}&utm_source=mail", null);
            return NotLeaked(result, sample.Pii)
                .And(result.Query.Contains("utm_source=mail", StringComparison.Ordinal).Label(result.Query))
                .And(Idempotent(result));
        });

    [Property(MaxTest = 500)]
    public Property Arbitrary_input_never_throws_and_gives_a_safe_idempotent_path() =>
        Prop.ForAll(
            Gen.OneOf(
                ArbMap.Default.GeneratorFor<string>().Where(s => s is not null),
                from tail in ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)
                from prefix in Gen.Elements("https://shop.example/", "/", "//h/", "http://u@h:1/a?", "/a?utm_source=")
                select prefix + tail).ToArbitrary(),
            url =>
            {
                var result = UrlScrubber.ScrubCore(url, null);
                return (result.Path.StartsWith('/') && result.Path.Length <= UrlScrubber.MaxPathLength).Label(result.Path)
                    .And(Idempotent(result));
            });

    private static Property NotLeaked(ScrubbedUrl result, string pii)
    {
        string all = result.Host + result.Path + result.Query;
        return (!all.Contains(pii, StringComparison.Ordinal) && !PiiGen.DecodeAll(all).Contains(pii, StringComparison.Ordinal))
            .Label($"leaked in {all}");
    }

    private static Property Idempotent(ScrubbedUrl result)
    {
        string again = (result.Host.Length > 0 ? "https://" + result.Host : string.Empty) + result.Path + result.Query;
        var twice = UrlScrubber.ScrubCore(again, null);
        return (twice == result).Label($"not idempotent: {result} -> {twice}");
    }
}
