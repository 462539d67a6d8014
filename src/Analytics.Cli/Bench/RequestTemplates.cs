using System.Buffers;
using System.Text;

namespace Analytics.Cli.Bench;

/// <summary>
/// Pre-generated request bodies of exactly N events, each from one visitor. Sending patches fresh event ids into a
/// copy (the pipeline drops repeated ids), so both targets get byte-for-byte the same work apart from the ids.
/// </summary>
public sealed class RequestTemplates
{
    private readonly Template[] _templates;

    private RequestTemplates(Template[] templates, int eventsPerRequest)
    {
        _templates = templates;
        EventsPerRequest = eventsPerRequest;
    }

    public int EventsPerRequest { get; }
    public int Count => _templates.Length;
    public double AverageBodyBytes => _templates.Average(t => t.Body.Length);

    internal sealed record Template(SimulatedVisitor Visitor, byte[] Body, int[] IdOffsets);

    internal Template this[long i] => _templates[(int)(i % _templates.Length)];

    /// <summary>Builds <paramref name="count"/> bodies of <paramref name="eventsPerRequest"/> human events from distinct visitors.</summary>
    public static RequestTemplates Create(int count, int eventsPerRequest, int seed, string site, long timestampMs)
    {
        var simulator = new TrafficSimulator(new SimulatorOptions
        {
            Seed = seed,
            Site = site,
            TotalEvents = null,
            Visitors = count,
            BotShare = 0,
            GpcShare = 0,
            DuplicateShare = 0,
            PiiShare = 0,
            StartTimestampMs = timestampMs,
        });
        var pending = new Dictionary<int, List<SimulatedEvent>>();
        var done = new HashSet<int>();
        var templates = new List<Template>(count);
        foreach (var request in simulator.GenerateRequests())
        {
            if (done.Contains(request.Visitor.Index)) continue;
            if (!pending.TryGetValue(request.Visitor.Index, out var list)) pending[request.Visitor.Index] = list = [];
            list.AddRange(request.Events);
            if (list.Count < eventsPerRequest) continue;
            var events = list.GetRange(0, eventsPerRequest);
            var body = BeaconBody.Write(site, request.Visitor, events);
            templates.Add(new Template(request.Visitor, body, events.Select(e => IndexOf(body, e.Id)).ToArray()));
            done.Add(request.Visitor.Index);
            pending.Remove(request.Visitor.Index);
            if (templates.Count == count) break;
        }
        return new RequestTemplates([.. templates], eventsPerRequest);
    }

    /// <summary>Copies template <paramref name="i"/> into a pooled buffer with fresh event ids; return it to <see cref="ArrayPool{T}.Shared"/>.</summary>
    internal (byte[] Buffer, int Length, SimulatedVisitor Visitor) Rent(long i)
    {
        var t = this[i];
        var buffer = ArrayPool<byte>.Shared.Rent(t.Body.Length);
        t.Body.CopyTo(buffer, 0);
        foreach (var offset in t.IdOffsets) Guid.NewGuid().TryFormat(buffer.AsSpan(offset, 36), out _);
        return (buffer, t.Body.Length, t.Visitor);
    }

    private static int IndexOf(byte[] body, Guid id)
    {
        var needle = Encoding.UTF8.GetBytes(id.ToString());
        var at = body.AsSpan().IndexOf(needle);
        if (at < 0) throw new InvalidOperationException("Event id not found in its body.");
        return at;
    }
}
