using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Analytics.Privacy.Tests;

public sealed class TextScrubberTests
{
    [Theory]
    [InlineData("Order confirmation for jane.doe+shop@example.co.uk", "Order confirmation for [email]")]
    [InlineData("Call us: +44 20 7946 0958", "Call us: [phone]")]
    [InlineData("Call (555) 123-4567 today", "Call [phone] today")]
    [InlineData("Reach me at 06 12 34 56 78", "Reach me at [phone]")]
    [InlineData("Login from 203.0.113.42 failed", "Login from [ip] failed")]
    [InlineData("Login from 2001:db8:85a3::8a2e:370:7334 failed", "Login from [ip] failed")]
    [InlineData("Cart 550e8400-e29b-41d4-a716-446655440000", "Cart [uuid]")]
    [InlineData("t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk", "t=[jwt]")]
    [InlineData("Reset 9f86d081884c7d659a2feaa0c55ad015", "Reset [token]")]
    [InlineData("Order 123456789012 shipped", "Order [number] shipped")]
    [InlineData("Bestellung für Jürgen: jürgen@müller.de", "Bestellung für Jürgen: [email]")]
    public void Replaces_personal_data_with_placeholders(string input, string expected)
    {
        Assert.Equal(expected, TextScrubber.Scrub(input));
    }

    [Theory]
    [InlineData("Rose Face Serum 50ml – Glow Shop")]
    [InlineData("Moisturizers | Skincare | Page 2")]
    [InlineData("Summer sale 2024: up to 50% off")]
    [InlineData("Order #12345 – thank you!")]
    [InlineData("Gift card €25.00")]
    [InlineData("Opening hours 09:00-18:00")]
    [InlineData("SKU 12345678")]
    public void Leaves_ordinary_titles_alone(string title)
    {
        Assert.Equal(title, TextScrubber.Scrub(title));
    }

    [Fact]
    public void Normalises_whitespace_and_caps_length()
    {
        Assert.Equal("a b c", TextScrubber.Scrub("  a\t\tb\r\n c \0"));
        Assert.Equal(TextScrubber.MaxLength, TextScrubber.Scrub(new string('x', 5000)).Length);
        Assert.Equal(string.Empty, TextScrubber.Scrub(null!));
        Assert.Equal(string.Empty, TextScrubber.Scrub("   "));
    }

    [Fact]
    public void Counts_what_it_removes()
    {
        var counters = new ScrubCounters();
        TextScrubber.Scrub("a@b.co and c@d.co from 10.0.0.1, call 555-123-4567", counters);

        var snapshot = counters.Snapshot();
        Assert.Equal(2, snapshot["email"]);
        Assert.Equal(1, snapshot["ip"]);
        Assert.Equal(1, snapshot["phone"]);
        Assert.Equal(0, snapshot["jwt"]);
        Assert.Equal(ScrubCounters.Reasons.Count, snapshot.Count);
    }

    [Fact]
    public void Does_not_mangle_code_like_double_colons_or_times()
    {
        Assert.Equal("std::vector at 10:30:45", TextScrubber.Scrub("std::vector at 10:30:45"));
    }

    [Property(MaxTest = 500)]
    public Property Embedded_personal_data_never_survives_and_scrubbing_is_idempotent() =>
        Prop.ForAll(PiiGen.Embedded.ToArbitrary(), sample =>
        {
            string once = TextScrubber.Scrub(sample.Text);
            return (!once.Contains(sample.Pii, StringComparison.Ordinal)).Label($"leaked: {once}")
                .And((TextScrubber.Scrub(once) == once).Label($"not idempotent: {once}"));
        });

    [Property(MaxTest = 500)]
    public bool Arbitrary_text_is_capped_and_idempotent(string text)
    {
        string once = TextScrubber.Scrub(text);
        return once.Length <= TextScrubber.MaxLength && TextScrubber.Scrub(once) == once;
    }

    [Property(MaxTest = 200)]
    public Property Several_values_in_one_title_are_all_removed() =>
        Prop.ForAll(PiiGen.AnyPii.ListOf().Select(l => l.Take(5).ToArray()).ToArbitrary(), values =>
        {
            string scrubbed = TextScrubber.Scrub("Hello " + string.Join(" and ", values) + " bye");
            return values.All(v => !scrubbed.Contains(v, StringComparison.Ordinal)).Label(scrubbed);
        });
}
