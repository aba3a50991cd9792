using System.Text.Json;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Actors.Api;

/// <summary>
/// The actor part of <c>GET /v1.0/metadata</c> (https://docs.dapr.io/reference/api/metadata_api/) for
/// the calling instance: <c>actors</c> (active actors by type) and <c>actorRuntime</c>
/// (<c>runtimeStatus</c>, <c>activeActors</c>, <c>hostReady</c>, <c>placement</c>).
/// </summary>
internal sealed class ActorMetadata(ActorHosts hosts, ActorActivations activations) : IMetadataContributor
{
    public void WriteMetadata(Utf8JsonWriter json, AppInstance caller)
    {
        var host = hosts.HostOf(caller);
        var counts = (host?.Config.Entities ?? []).ToDictionary(type => type, _ => 0, StringComparer.Ordinal);
        foreach (var actor in activations.All)
        {
            if (ReferenceEquals(actor.Host.Instance, caller) && counts.TryGetValue(actor.Key.Type, out var count))
            {
                counts[actor.Key.Type] = count + 1;
            }
        }
        json.WritePropertyName("actors");
        WriteCounts(json, counts);
        json.WriteStartObject("actorRuntime");
        json.WriteString("runtimeStatus", "RUNNING");
        json.WritePropertyName("activeActors");
        WriteCounts(json, counts);
        json.WriteBoolean("hostReady", host is not null);
        json.WriteString("placement", "placement: local (in-process, consistent hashing over live hosts)");
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, Dictionary<string, int> counts)
    {
        json.WriteStartArray();
        foreach (var (type, count) in counts)
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteNumber("count", count);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
