using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;

namespace Analytics.Security.Tests;

public sealed class ApiKeyHashTests
{
    [Fact]
    public void The_hash_is_what_sha256sum_prints_for_the_key()
    {
        // printf %s abc | sha256sum
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyHash.Hash("abc"));
    }

    [Fact]
    public void Generated_keys_are_43_character_base64url_words_and_differ()
    {
        var a = ApiKeyHash.Generate();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", a);
        Assert.NotEqual(a, ApiKeyHash.Generate());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00")]
    public void Malformed_hashes_are_refused(string hex) => Assert.False(ApiKeyHash.TryParse(hex, out _));

    [Fact]
    public void Comparison_differs_at_the_first_and_the_last_byte_alike()
    {
        var stored = SHA256.HashData("key"u8);
        var first = (byte[])stored.Clone();
        first[0] ^= 1;
        var last = (byte[])stored.Clone();
        last[^1] ^= 1;
        Assert.True(ApiKeyHash.FixedTimeEquals(stored, (byte[])stored.Clone()));
        Assert.False(ApiKeyHash.FixedTimeEquals(first, stored));
        Assert.False(ApiKeyHash.FixedTimeEquals(last, stored));
    }

    [Fact]
    public void Key_lookup_compares_hashes_with_CryptographicOperations_FixedTimeEquals()
    {
        var fixedTime = typeof(CryptographicOperations).GetMethod(nameof(CryptographicOperations.FixedTimeEquals))!;
        var compare = typeof(ApiKeyHash).GetMethod(nameof(ApiKeyHash.FixedTimeEquals))!;
        Assert.Contains(fixedTime, CalledMethods(compare));
        var lookup = CalledMethods(typeof(CredentialStore).GetMethod(nameof(CredentialStore.FindApiKey))!);
        Assert.Contains(compare, lookup);
        Assert.DoesNotContain(lookup, m => m.Name is "SequenceEqual" or "Equals" && m.DeclaringType != typeof(object));
    }

    [Fact]
    public void Lookup_finds_the_matching_key_and_only_it()
    {
        var options = new AuthOptions();
        options.ApiKeys.Add(new ApiKeyEntry { Name = "one", Hash = ApiKeyHash.Hash("key-one"), Role = Roles.Analyst });
        options.ApiKeys.Add(new ApiKeyEntry { Name = "two", Hash = ApiKeyHash.Hash("key-two"), Role = Roles.Merchandiser });
        var store = new CredentialStore(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CredentialStore>.Instance);
        Assert.Equal(new CallerInfo("two", Roles.Merchandiser), store.FindApiKey("key-two"));
        Assert.Null(store.FindApiKey("key-three"));
        Assert.Null(store.FindApiKey(new string('k', ApiKeyHash.MaxKeyLength + 1)));
    }

    /// <summary>The methods a method's IL calls (call, callvirt), resolved through its module.</summary>
    private static List<MethodBase> CalledMethods(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var calls = new List<MethodBase>();
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != OpCodes.Call.Value && il[i] != OpCodes.Callvirt.Value) continue;
            try
            {
                if (method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1), method.DeclaringType!.GetGenericArguments(), null) is { } m) calls.Add(m);
            }
            catch (ArgumentException)
            {
                // an operand byte that looked like a call opcode
            }
        }
        return calls;
    }
}
