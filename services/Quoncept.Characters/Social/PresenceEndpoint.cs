using System.Text.Json;
using Dapr;
using Dapr.Actors;
using Dapr.Actors.Client;
using Quoncept.Contracts;

namespace Quoncept.Characters.Social;

internal static class PresenceEndpoint
{
    public const string Route = "/presence";

    /// <summary>
    /// POST /presence: the sidecar delivers CharacterLoggedOut of topic "events" (<see cref="Topics.PresenceMatch"/>,
    /// no default route), so that a character's social actor knows it is offline after a logout or a grace-period
    /// timeout, and keeps its direct messages from then on. A CharacterLoggedIn (delivered by an older rule) is
    /// applied as well. At least once and possibly out of order: the social actor applies only a newer change.
    /// A failed actor call answers 500, so the sidecar delivers again.
    /// </summary>
    public static IEndpointConventionBuilder MapPresence(this IEndpointRouteBuilder endpoints)
    {
        return endpoints.MapPost(Route, async (HttpRequest http, IActorProxyFactory proxies, ILogger<PresenceChange> logger) =>
            {
                UniverseEvent? e;
                try
                {
                    using var cloudEvent = await JsonDocument.ParseAsync(http.Body, cancellationToken: http.HttpContext.RequestAborted);
                    e = WireJson.FromCloudEvent(cloudEvent.RootElement, out _);
                }
                catch (JsonException failure)
                {
                    logger.LogWarning(failure, "Dropped a presence delivery that is not a CloudEvent with a UniverseEvent");
                    return Results.Json(new { status = "DROP" });
                }

                var (characterId, change) = e switch
                {
                    CharacterLoggedIn i => (i.CharacterId, new PresenceChange(true, i.OccurredAtUnixMs)),
                    CharacterLoggedOut o => (o.CharacterId, new PresenceChange(false, o.OccurredAtUnixMs)),
                    _ => (null, null),
                };
                if (characterId is null) return Results.Json(new { status = "DROP" });
                await proxies.CreateActorProxy<ISocialActor>(new ActorId(characterId), ActorTypes.Social).SetPresenceAsync(change!);
                return Results.Json(new { status = "SUCCESS" });
            })
            .WithTopic(new TopicOptions { PubsubName = Topics.PubSub, Name = Topics.Events, Match = Topics.PresenceMatch });
    }
}
