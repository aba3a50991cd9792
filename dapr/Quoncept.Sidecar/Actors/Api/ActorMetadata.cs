using Dapr.Client.Autogen.Grpc.v1;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Actors.Api;

/// <summary>
/// The actor part of the sidecar metadata (https://docs.dapr.io/reference/api/metadata_api/) for the
/// calling instance: <c>actorRuntime</c> (<c>runtimeStatus</c>, <c>activeActors</c> by type,
/// <c>hostReady</c>, <c>placement</c>).
/// </summary>
internal sealed class ActorMetadata(ActorHosts hosts, ActorActivations activations) : IMetadataContributor
{
    public void Contribute(GetMetadataResponse metadata, AppInstance caller)
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
        var runtime = new ActorRuntime
        {
            RuntimeStatus = ActorRuntime.Types.ActorRuntimeStatus.Running,
            HostReady = host is not null,
            Placement = "placement: local (in-process, consistent hashing over live hosts)",
        };
        runtime.ActiveActors.AddRange(counts.Select(c => new ActiveActorsCount { Type = c.Key, Count = c.Value }));
        metadata.ActorRuntime = runtime;
    }
}
