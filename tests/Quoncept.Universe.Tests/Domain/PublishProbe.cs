using System.Text.Json;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Quoncept.Contracts;
using Quoncept.Universe.Tests.Sandbox;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>
/// Stands in for the sidecar's gRPC publish API (dapr.proto.runtime.v1.Dapr PublishEvent,
/// BulkPublishEvent[Alpha1]) under the SDK's real DaprClient, decoding its gRPC frames. Records
/// every event and, at the moment it arrives, whether the publishing actor's saved state already
/// held the event in its outbox: the proof of "save, then publish". While <see cref="Failing"/> is
/// set it answers INTERNAL, as a sidecar whose broker is down. Server reflection (which the SDK
/// asks first) is UNIMPLEMENTED, so the client calls the stable methods.
/// </summary>
internal sealed class PublishProbe : HttpMessageHandler
{
    private readonly List<Published> _published = [];

    public Func<SandboxActorState>? SavedState { get; set; }

    public bool Failing { get; set; }

    /// <summary>While set and not complete, every publish waits before it is recorded and answered: a slow broker.</summary>
    public Task? Hold { get; set; }

    public int Failures { get; private set; }

    /// <summary>How many bulk publishes arrived (each with several events).</summary>
    public int BulkRequests { get; private set; }

    public IReadOnlyList<Published> All
    {
        get
        {
            lock (_published) return [.. _published];
        }
    }

    /// <summary>The published events that the gateways' <see cref="Topics.LiveMatch"/> rule selects.</summary>
    public IReadOnlyList<UniverseEvent> Live => [.. Events.Where(e => e is SystemEvent or SessionEnded)];

    public IReadOnlyList<UniverseEvent> Events => [.. All.Where(p => p.Topic == Topics.Events).Select(p => p.Event)];

    /// <summary>What went to the firehose topic <see cref="Topics.Chat"/>.</summary>
    public IReadOnlyList<UniverseEvent> Chat => [.. All.Where(p => p.Topic == Topics.Chat).Select(p => p.Event)];

    public void Clear()
    {
        lock (_published) _published.Clear();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = DaprGrpcFrames.DaprMethod(request);
        if (method is not ("PublishEvent" or "BulkPublishEvent" or "BulkPublishEventAlpha1"))
        {
            return DaprGrpcFrames.Status(12, $"{request.RequestUri!.AbsolutePath} is not served by the probe");
        }

        while (Hold is { IsCompleted: false } hold)
        {
            // Polled, so that setting it back to null (a test ending) lets a held publish go too.
            await Task.WhenAny(hold, Task.Delay(20, cancellationToken));
        }

        if (Failing)
        {
            Failures++;
            return DaprGrpcFrames.Status(13, "error when publish to topic events in pubsub pubsub: broker down");
        }

        if (method == "PublishEvent")
        {
            var publish = await DaprGrpcFrames.ReadAsync(request, PublishEventRequest.Parser, cancellationToken);
            Record(publish.PubsubName, publish.Topic, [publish.Data], bulk: false);
            return DaprGrpcFrames.Answer(new Google.Protobuf.WellKnownTypes.Empty());
        }

        var batch = await DaprGrpcFrames.ReadAsync(request, BulkPublishRequest.Parser, cancellationToken);
        Record(batch.PubsubName, batch.Topic, [.. batch.Entries.Select(e => e.Event)], bulk: true);
        return DaprGrpcFrames.Answer(new BulkPublishResponse());
    }

    private void Record(string pubsub, string topic, IReadOnlyList<ByteString> payloads, bool bulk)
    {
        var events = payloads.Select(p => JsonSerializer.Deserialize<UniverseEvent>(p.Span, WireJson.Options)!).ToList();
        lock (_published)
        {
            if (bulk) BulkRequests++;
            foreach (var e in events) _published.Add(new Published(pubsub, topic, e, WasSaved(e)));
        }
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
            ChannelMessagePosted c => (ActorTypes.Channel, c.Channel),
            ChannelMembershipChanged c => (ActorTypes.Channel, c.Channel),
            DirectMessageSent d => (ActorTypes.Social, d.ToCharacterId),
            MailDelivered m => (ActorTypes.Social, m.ToCharacterId),
            _ => (string.Empty, string.Empty),
        };
        return SavedState is { } store
            && store().TryGet<JsonElement>(type, id, "state", out var state)
            && state.GetProperty("outbox").EnumerateArray().Any(o => o.GetProperty("eventId").GetString() == e.EventId);
    }

    public sealed record Published(string PubSub, string Topic, UniverseEvent Event, bool SavedBeforePublish);
}
