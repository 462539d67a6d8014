using System.Runtime.InteropServices;

namespace Analytics.Privacy;

/// <summary>
/// A small, bounded memo of <see cref="UserAgentReducer"/> results. Real traffic repeats a few thousand User-Agents
/// (and a visitor sends the same one with every event), so reducing each only once saves most of the work.
/// Privacy: the raw User-Agent is never stored; an entry holds a 64-bit keyed hash of it, its length and the reduced
/// classes (families, major version, device), which are what the store keeps anyway.
/// </summary>
/// <remarks>
/// Direct-mapped: <see cref="Slots"/> entries, a new entry replaces whatever shared its slot, so memory is bounded
/// without bookkeeping. Entries are immutable objects published by a single reference write, so concurrent readers
/// and writers need no lock. The key combines two hashes with independent per-process random seeds (Marvin for
/// <see cref="string.GetHashCode()"/>, xxHash32 for <see cref="HashCode"/>), so a collision cannot be planned from
/// outside; with the length check a wrong hit needs a 64-bit collision of two same-length strings.
/// </remarks>
internal static class UserAgentClassCache
{
    private const int Slots = 4096; // a power of two

    private static readonly Entry?[] Entries = new Entry?[Slots];

    /// <summary>The keyed 64-bit hash of <paramref name="userAgent"/>.</summary>
    public static ulong KeyOf(string userAgent)
    {
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes(userAgent.AsSpan()));
        return ((ulong)(uint)userAgent.GetHashCode() << 32) | (uint)hash.ToHashCode();
    }

    public static bool TryGet(ulong key, int length, out UserAgentInfo info)
    {
        var entry = Volatile.Read(ref Entries[(int)(key & (Slots - 1))]);
        if (entry is not null && entry.Key == key && entry.Length == length)
        {
            info = entry.Info;
            return true;
        }

        info = default;
        return false;
    }

    public static void Set(ulong key, int length, UserAgentInfo info) =>
        Volatile.Write(ref Entries[(int)(key & (Slots - 1))], new Entry(key, length, info));

    private sealed class Entry(ulong key, int length, UserAgentInfo info)
    {
        public ulong Key { get; } = key;

        public int Length { get; } = length;

        public UserAgentInfo Info { get; } = info;
    }
}
