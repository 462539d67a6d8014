using Microsoft.Extensions.Options;

namespace Analytics.Security.Tests;

public sealed class OptionsValidationTests
{
    private static async Task<string> StartFailure(Dictionary<string, string?> settings)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () => await (await SecureHost.StartAsync(settings)).DisposeAsync());
        return string.Join(" ", ex.Failures);
    }

    [Fact]
    public async Task An_unknown_role_stops_start_with_one_readable_line()
    {
        var message = await StartFailure(new() { ["Auth:ApiKeys:0:Role"] = "admin" });
        Assert.Contains("Auth:ApiKeys:0:Role 'admin' is not a role; use one of merchandiser, analyst, privacy_admin.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_key_hash_stops_start_without_echoing_it()
    {
        var message = await StartFailure(new() { ["Auth:ApiKeys:1:Hash"] = "not-a-hash-but-maybe-a-key" });
        Assert.Contains("Auth:ApiKeys:1:Hash must be the 64 hex characters of SHA-256", message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-hash-but-maybe-a-key", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_password_hash_stops_start()
    {
        var message = await StartFailure(new() { ["Auth:Users:0:PasswordHash"] = "hunter2" });
        Assert.Contains("Auth:Users:0:PasswordHash is not a PasswordHasher hash", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_pass()
    {
        var options = new AuthOptions();
        options.ApiKeys.Add(new ApiKeyEntry { Name = "ci", Hash = ApiKeyHash.Hash("k"), Role = Roles.Analyst });
        Assert.True(new AuthOptionsValidator().Validate(null, options).Succeeded);
    }
}
