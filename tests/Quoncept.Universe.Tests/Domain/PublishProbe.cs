using System.Net;
using System.Text.Json;
using Quoncept.Contracts;
using Quoncept.Dapr.Testing;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>
/// Stands in for the sidecar's publish endpoint (POST /v1.0/publish/{pubsub}/{topic}) under a real
/// DaprClient. Records every publish and, at the moment it arrives, whether the publishing actor's
/// saved state already held the event in its outbox: the proof of "save, then publish".
/// While <see cref="Failing"/> is set it answers 500, as a sidecar whose broker is down.
/// </summary>
internal sealed class PublishProbe : HttpMessageHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<Published> _published = [];

    public Func<InMemoryActorStateStore>? SavedState { get; set; }

    public bool Failing { get; set; }

    public int Failures { get; private set; }

    /// <summary>How many bulk publishes arrived (each with several events).</summary>
    public int BulkRequests { get; private set; }

    public IReadOnlyList<Published> All
    {
        get
        {
            lock (_published)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>The published events that the gateways' <see cref="Topics.LiveMatch"/> rule selects.</summary>
    public IReadOnlyList<UniverseEvent> Live => [.. Events.Where(e => e is SystemEvent or SessionEnded)];

    public IReadOnlyList<UniverseEvent> Events => [.. All.Where(p => p.Topic == Topics.Events).Select(p => p.Event)];

    public void Clear()
    {
        lock (_published)
        {
            _published.Clear();
        }
    }

    /// <summary>
    /// POST /v1.0/publish/{pubsub}/{topic} with one event, or /v1.0-alpha1/publish/bulk/{pubsub}/{topic}
    /// with [{"entryId","event","contentType"}...]; every event is recorded in the order it came.
    /// </summary>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/');
        var (pubsub, topic, bulk) = segments switch
        {
            ["v1.0", "publish", var p, var t] => (p, t, false),
            ["v1.0-alpha1", "publish", "bulk", var p, var t] => (p, t, true),
            _ => (null, null, false),
        };
        if (pubsub is null || topic is null)
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        if (Failing)
        {
            Failures++;
            return new HttpResponseMessage(HttpStatusCode.InternalServerError)
            {
                Content = new StringContent("{\"errorCode\":\"ERR_PUBSUB_PUBLISH_MESSAGE\",\"message\":\"broker down\"}"),
            };
        }

        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var events = bulk
            ? JsonDocument.Parse(body).RootElement.EnumerateArray().Select(entry => entry.GetProperty("event").Deserialize<UniverseEvent>(Json)!).ToList()
            : [JsonSerializer.Deserialize<UniverseEvent>(body, Json)!];
        lock (_published)
        {
            if (bulk)
            {
                BulkRequests++;
            }

            foreach (var e in events)
            {
                _published.Add(new Published(pubsub, topic, e, WasSaved(e)));
            }
        }

        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    private bool WasSaved(UniverseEvent e)
    {
        var (type, id) = e switch
        {
            SystemEvent s => (ActorTypes.System, s.SystemId),
            SessionStarted s => (ActorTypes.Session, s.Username),
            SessionEnded s => (ActorTypes.Session, s.Username),
            SessionAttached s => (ActorTypes.Session, s.Username),
            SessionDetached s => (ActorTypes.Session, s.Username),
            SessionGraceExpired s => (ActorTypes.Session, s.Username),
            CharacterLoggedIn c => (ActorTypes.Character, c.CharacterId),
            CharacterLoggedOut c => (ActorTypes.Character, c.CharacterId),
            CharacterMoved c => (ActorTypes.Character, c.CharacterId),
            _ => (string.Empty, string.Empty),
        };
        return SavedState is { } store
            && store().TryGet<JsonElement>(type, id, "state", out var state)
            && state.GetProperty("outbox").EnumerateArray().Any(o => o.GetProperty("eventId").GetString() == e.EventId);
    }

    public sealed record Published(string PubSub, string Topic, UniverseEvent Event, bool SavedBeforePublish);
}
