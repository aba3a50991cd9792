using System.Collections.Frozen;

namespace Quoncept.Sidecar.Actors.Placement;

/// <summary>
/// Which live hosts serve each actor type, and the one host each (type, id) lives on. Hosts are app
/// instances (one per replica). Readers see an immutable snapshot; writers replace it under a lock,
/// so a lookup never blocks and never sees a half-applied change. <see cref="Version"/> grows with
/// every change so callers can tell that placement moved.
/// </summary>
internal sealed class PlacementTable
{
    private readonly Lock _gate = new();
    private Dictionary<string, string[]> _typesByHost = new(StringComparer.Ordinal);
    private volatile Snapshot _snapshot = new(0, FrozenDictionary<string, Host[]>.Empty);

    public long Version => _snapshot.Version;

    /// <summary>Adds a live host serving <paramref name="actorTypes"/>, or replaces its types.</summary>
    public void SetHost(string hostId, IEnumerable<string> actorTypes)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, string[]>(_typesByHost, StringComparer.Ordinal)
            {
                [hostId] = actorTypes.Distinct(StringComparer.Ordinal).ToArray(),
            };
            Publish(next);
        }
    }

    /// <summary>Removes a host that went away; returns false when it was not in the table.</summary>
    public bool RemoveHost(string hostId)
    {
        lock (_gate)
        {
            if (!_typesByHost.ContainsKey(hostId))
            {
                return false;
            }
            var next = new Dictionary<string, string[]>(_typesByHost, StringComparer.Ordinal);
            next.Remove(hostId);
            Publish(next);
            return true;
        }
    }

    public bool IsTypeHosted(string actorType) => _snapshot.HostsByType.ContainsKey(actorType);

    public IReadOnlyCollection<string> HostedTypes => _snapshot.HostsByType.Keys;

    public IEnumerable<string> HostsOf(string actorType) =>
        _snapshot.HostsByType.TryGetValue(actorType, out var hosts) ? hosts.Select(h => h.Id) : [];

    /// <summary>The host the actor lives on, or null when no live host serves its type.</summary>
    public string? Lookup(string actorType, string actorId)
    {
        if (!_snapshot.HostsByType.TryGetValue(actorType, out var hosts))
        {
            return null;
        }
        if (hosts.Length == 1)
        {
            return hosts[0].Id;
        }
        var actorHash = RendezvousHash.HashActor(actorType, actorId);
        var best = hosts[0];
        var bestScore = RendezvousHash.Score(best.Hash, actorHash);
        for (var i = 1; i < hosts.Length; i++)
        {
            var score = RendezvousHash.Score(hosts[i].Hash, actorHash);
            if (score > bestScore || (score == bestScore && string.CompareOrdinal(hosts[i].Id, best.Id) < 0))
            {
                best = hosts[i];
                bestScore = score;
            }
        }
        return best.Id;
    }

    private void Publish(Dictionary<string, string[]> typesByHost)
    {
        var hostsByType = typesByHost
            .SelectMany(kv => kv.Value.Select(type => (type, host: new Host(kv.Key, RendezvousHash.HashHost(kv.Key)))))
            .GroupBy(p => p.type, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.host).OrderBy(h => h.Id, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        _typesByHost = typesByHost;
        _snapshot = new Snapshot(_snapshot.Version + 1, hostsByType);
    }

    private sealed record Host(string Id, ulong Hash);

    private sealed record Snapshot(long Version, FrozenDictionary<string, Host[]> HostsByType);
}
