using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Quoncept.Grpc;

public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of the .proto service to POST /package.Service/Method, served by
    /// TService (from DI, or created per call). Proto methods are matched to TService's public
    /// methods by name, with grpc-dotnet handler signatures.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints, ServiceDescriptor descriptor)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(descriptor);
        var provider = endpoints.ServiceProvider;
        var registry = provider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call builder.Services.AddGrpc() before mapping gRPC services.");
        var options = provider.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Quoncept.Grpc.Server");
        var stopping = provider.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;

        var group = endpoints.MapGroup("");
        foreach (var handler in ServiceMethodTable.Build(descriptor, options, logger, ServiceMethodTable.ResolveSingleton<TService>(provider), stopping))
        {
            group.MapPost(handler.Path, handler.HandleAsync).WithDisplayName("gRPC " + handler.Path);
        }

        registry.Add(descriptor.FullName);
        if (registry.TryClaimUnimplementedEndpoint())
        {
            var unimplemented = new UnimplementedHandler(registry, options);
            endpoints.MapPost("{unimplementedService}/{unimplementedMethod}", unimplemented.HandleAsync)
                .WithDisplayName("gRPC unimplemented");
        }

        return group;
    }

    /// <summary>Maps grpc.health.v1.Health (Check, Watch), backed by the HealthServiceImpl singleton.</summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService<HealthServiceImpl>(HealthReflection.Descriptor.Services[0]);
}
