using Quoncept.Dapr.Actors.Client;
using Quoncept.Gateway.Auth;
using Quoncept.Gateway.Live;
using Quoncept.Gateway.Routing;

namespace Quoncept.Gateway;

internal static class GatewayServices
{
    /// <summary>Options, token validation, the Dapr client and actor proxies, the router and the live-event handler.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSessionTokens(configuration);
        services.AddDaprClient();
        services.AddSingleton<IActorProxyFactory>(_ => new ActorProxyFactory());
        services.AddSingleton<ActorDirectory>();
        services.AddSingleton<LiveEventRouter>();
        services.AddSingleton<LiveEventHandler>();
        services.AddHostedService<GatewayLifetime>();
        return services;
    }
}
