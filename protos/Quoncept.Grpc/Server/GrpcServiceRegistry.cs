using System.Collections.Concurrent;

namespace Quoncept.Grpc;

/// <summary>Which services this host maps, so unknown-method answers can say which part is unknown.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly ConcurrentDictionary<string, bool> _services = new(StringComparer.Ordinal);
    private int _unimplementedMapped;

    public void Add(string serviceName) => _services[serviceName] = true;

    public bool IsMapped(string serviceName) => _services.ContainsKey(serviceName);

    /// <summary>True for the first caller only: the catch-all endpoint is mapped once.</summary>
    public bool TryClaimUnimplementedEndpoint() => Interlocked.Exchange(ref _unimplementedMapped, 1) == 0;
}
