using Microsoft.Extensions.DependencyInjection.Extensions;
using Quoncept.Dapr;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration, named as in <c>Dapr.AspNetCore</c>.</summary>
public static class DaprServiceCollectionExtensions
{
    /// <summary>Registers one singleton <see cref="DaprClient"/> (one pooled HttpClient) for the process.</summary>
    public static IServiceCollection AddDaprClient(this IServiceCollection services, Action<DaprClientBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<DaprClient>(_ =>
        {
            var builder = new DaprClientBuilder();
            configure?.Invoke(builder);
            return builder.Build();
        });
        return services;
    }

    /// <summary>Delays host start-up until the sidecar answers its outbound health check, failing with a clear message after <paramref name="timeout"/>.</summary>
    public static IServiceCollection AddDaprSidecarWait(this IServiceCollection services, TimeSpan timeout)
    {
        services.AddDaprClient();
        services.AddHostedService(sp => new DaprSidecarWaitService(sp.GetRequiredService<DaprClient>(), timeout));
        return services;
    }
}
