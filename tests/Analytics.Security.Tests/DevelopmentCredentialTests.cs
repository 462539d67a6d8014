using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Security.Tests;

public sealed class DevelopmentCredentialTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("analytics-security-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string KeyFile => Path.Combine(_dir, ".data", "dev-api-key.txt");
    private string UserFile => Path.Combine(_dir, ".data", "dev-login.txt");
    private string StateFile => Path.Combine(_dir, ".data", "auth-state.json");

    private AuthOptions Options => new() { DevelopmentKeyFile = KeyFile, DevelopmentUserFile = UserFile };

    private static List<StoredCredential> Ensure(AuthOptions options, TextWriter output) =>
        DevelopmentCredentials.Ensure(options, new PasswordHasher<CallerInfo>(), TimeProvider.System, output, NullLogger.Instance);

    [Fact]
    public void The_key_is_created_once_with_mode_600_and_only_its_hash_is_stored()
    {
        var first = new StringWriter();
        Ensure(Options, first);

        var key = File.ReadAllText(KeyFile);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", key); // 32 random bytes, base64url: one word, no newline
        Assert.Contains(key, first.ToString(), StringComparison.Ordinal);
        Assert.Contains(KeyFile, first.ToString(), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StateFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(UserFile));
        }
        var state = File.ReadAllText(StateFile);
        Assert.DoesNotContain(key, state, StringComparison.Ordinal);
        Assert.Contains(ApiKeyHash.Hash(key), state, StringComparison.Ordinal);
        Assert.DoesNotContain("api-key", Path.GetFileName(StateFile), StringComparison.Ordinal);

        var written = File.GetLastWriteTimeUtc(KeyFile);
        var second = new StringWriter();
        Ensure(Options, second);
        Assert.Equal(key, File.ReadAllText(KeyFile));
        Assert.Equal(written, File.GetLastWriteTimeUtc(KeyFile));
        Assert.Equal(state, File.ReadAllText(StateFile));
        Assert.DoesNotContain(key, second.ToString(), StringComparison.Ordinal);
        Assert.Contains(KeyFile, second.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_login_file_holds_user_and_password_and_the_state_only_its_hash()
    {
        Ensure(Options, TextWriter.Null);
        var words = File.ReadAllText(UserFile).Split(' ');
        Assert.Equal(2, words.Length);
        Assert.Equal("admin", words[0]);
        Assert.DoesNotContain(words[1], File.ReadAllText(StateFile), StringComparison.Ordinal);

        var entries = DevelopmentCredentials.ReadState(StateFile, NullLogger.Instance);
        var login = Assert.Single(entries, e => e.Kind == StoredCredential.LoginKind);
        Assert.Equal(Roles.PrivacyAdmin, login.Role);
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<CallerInfo>().VerifyHashedPassword(new CallerInfo("admin", ""), login.Hash, words[1]));
    }

    [Fact]
    public void A_lost_key_file_is_replaced_by_a_new_key()
    {
        Ensure(Options, TextWriter.Null);
        var old = File.ReadAllText(KeyFile);
        File.Delete(KeyFile);
        var output = new StringWriter();
        Ensure(Options, output);
        var replacement = File.ReadAllText(KeyFile);
        Assert.NotEqual(old, replacement);
        Assert.Contains(replacement, output.ToString(), StringComparison.Ordinal);
        var key = Assert.Single(DevelopmentCredentials.ReadState(StateFile, NullLogger.Instance), e => e.Kind == StoredCredential.ApiKeyKind);
        Assert.Equal(ApiKeyHash.Hash(replacement), key.Hash);
    }

    [Fact]
    public void A_corrupt_state_file_is_recreated()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StateFile)!);
        File.WriteAllText(StateFile, "{ not json");
        Ensure(Options, TextWriter.Null);
        Assert.Equal(2, DevelopmentCredentials.ReadState(StateFile, NullLogger.Instance).Count);
    }

    [Fact]
    public void Without_development_files_nothing_is_written()
    {
        Assert.Empty(Ensure(new AuthOptions(), TextWriter.Null));
        Assert.False(Directory.Exists(Path.Combine(_dir, ".data")));
    }

    [Fact]
    public async Task A_host_creates_the_key_at_start_and_accepts_it()
    {
        await using var host = await SecureHost.StartAsync(new()
        {
            ["Auth:DevelopmentKeyFile"] = KeyFile,
            ["Auth:DevelopmentUserFile"] = UserFile,
        });
        var key = File.ReadAllText(KeyFile);
        Assert.Contains(key, host.Output.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/v1/stats/pages?site=demo", SecureHost.Bearer(key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/probe/privacy-admin", SecureHost.XApiKey(key))).StatusCode);

        var password = File.ReadAllText(UserFile).Split(' ')[1];
        var (login, cookie) = await host.LoginAsync("admin", password);
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/probe/privacy-admin", SecureHost.Cookie(cookie!))).StatusCode);
    }
}
