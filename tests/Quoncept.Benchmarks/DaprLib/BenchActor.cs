using Quoncept.Dapr.Actors;

namespace Quoncept.Benchmarks.DaprLib;

/// <summary>One state read (cached after the first), one write, one transaction per call: the shape of a real turn.</summary>
public sealed class BenchActor(ActorHost host) : Actor(host), IBenchActor
{
    public async Task<int> AddAsync(int amount)
    {
        var total = await StateManager.GetOrAddStateAsync("total", 0) + amount;
        await StateManager.SetStateAsync("total", total);
        return total;
    }
}
