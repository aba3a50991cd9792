using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quoncept.Dapr;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Actors.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddActors(o =&gt; o.Actors.Register&lt;MyActor&gt;())</c>, as in <c>Dapr.Actors.AspNetCore</c>.</summary>
public static class ActorsServiceCollectionExtensions
{
    public static IServiceCollection AddActors(this IServiceCollection services, Action<ActorRuntimeOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new ActorRuntimeOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<ActorRuntimeOptions>();
            var builder = new DaprClientBuilder().UseDaprApiToken(options.DaprApiToken).UseJsonSerializationOptions(options.JsonSerializerOptions);
            if (options.HttpEndpoint is not null)
            {
                builder.UseHttpEndpoint(options.HttpEndpoint);
            }

            return builder.BuildSidecar();
        });
        services.TryAddSingleton<IActorInvoker>(sp => new DaprHttpActorInvoker(sp.GetRequiredService<DaprSidecar>()));
        services.TryAddSingleton<IActorStateProvider>(sp => new DaprHttpActorStateProvider(sp.GetRequiredService<DaprSidecar>()));
        services.TryAddSingleton<IActorTimerManager>(sp => new DaprHttpActorTimerManager(sp.GetRequiredService<DaprSidecar>()));
        services.TryAddSingleton<IActorProxyFactory>(sp => new ActorProxyFactory(sp.GetRequiredService<IActorInvoker>(), sp.GetRequiredService<ActorRuntimeOptions>().JsonSerializerOptions));
        services.TryAddSingleton(sp => new ActorRuntime(
            sp.GetRequiredService<ActorRuntimeOptions>(),
            sp,
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetRequiredService<IActorProxyFactory>(),
            sp.GetRequiredService<IActorStateProvider>(),
            sp.GetRequiredService<IActorTimerManager>()));
        return services;
    }
}
