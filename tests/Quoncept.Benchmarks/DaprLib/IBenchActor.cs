using Quoncept.Dapr.Actors;

namespace Quoncept.Benchmarks.DaprLib;

public interface IBenchActor : IActor
{
    Task<int> AddAsync(int amount);
}
