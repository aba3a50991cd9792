using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Quoncept.Grpc;

public static class GrpcServiceCollectionExtensions
{
    /// <summary>Registers the gRPC server (options, health service). Map services with MapGrpcService.</summary>
    public static IServiceCollection AddGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.AddOptions<GrpcServiceOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<HealthServiceImpl>();
        return services;
    }
}
