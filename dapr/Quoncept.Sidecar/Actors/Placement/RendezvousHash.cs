namespace Quoncept.Sidecar.Actors.Placement;

/// <summary>
/// Highest-random-weight (rendezvous) hashing, the consistent hashing daprd's placement uses in its
/// newer versions (dapr/dapr pkg/actors/hashing/rendezvous): every (host, actor) pair gets a
/// pseudo-random score and the actor lives on the live host with the highest one. Removing a host
/// only moves that host's actors; adding one only moves actors to it. Stable across processes:
/// FNV-1a over the UTF-16 code units, finished with the SplitMix64 mixer.
/// </summary>
internal static class RendezvousHash
{
    public static ulong HashHost(string hostId) => Mix(Fnv(hostId, 0xcbf29ce484222325UL) ^ 0x9e3779b97f4a7c15UL);

    public static ulong HashActor(string actorType, string actorId)
    {
        var h = Fnv(actorType, 0xcbf29ce484222325UL);
        h = (h ^ 0x1F) * 0x100000001b3UL; // separator that no string contains, so ("ab","c") != ("a","bc")
        return Mix(Fnv(actorId, h));
    }

    public static ulong Score(ulong hostHash, ulong actorHash) => Mix(hostHash ^ actorHash);

    private static ulong Fnv(string text, ulong hash)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001b3UL;
        }
        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
