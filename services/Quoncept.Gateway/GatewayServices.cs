using Dapr.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quoncept.Contracts;
using Grpc.AspNetCore.Server;
using Quoncept.Gateway.Auth;
using Quoncept.Gateway.Limits;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Live;
using Quoncept.Gateway.Routing;
using Quoncept.ServiceDefaults.Hosting;
using Quoncept.ServiceDefaults.Options;

namespace Quoncept.Gateway;

internal static class GatewayServices
{
    /// <summary>Options (checked at start), token validation, actor proxies, the router, the live-event handler, health.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).Check(o => o.Problem()).ValidateOnStart();
        services.AddOptions<LimitOptions>().Bind(configuration.GetSection(LimitOptions.Section)).Check(o => o.Problem()).ValidateOnStart();
        services.AddOptions<GrpcServiceOptions>().Configure(grpc => grpc.MaxReceiveMessageSize = LimitOptions.MaxMessageBytesIn(configuration));
        services.AddSingleton<ClientLimits>();
        SessionTokenOptions.Register(services, configuration);
        services.AddSessionTokens();
        services.AddActors(o => o.UseWireJson());               // the SDK's IActorProxyFactory; this app hosts no actors
        // Service invocation the way the SDK recommends: a plain HttpClient whose requests to http://sessions/...
        // the SDK's InvocationHandler sends through the sidecar's /v1.0/invoke/sessions/method/...
        services.AddHttpClient(AppIds.Sessions, c => c.BaseAddress = new Uri("http://" + AppIds.Sessions + "/"))
            .AddHttpMessageHandler(() => new InvocationHandler());
        services.AddSingleton<ActorDirectory>();
        services.AddSingleton<SessionAdmission>();
        services.AddSingleton<LiveEventRouter>();
        services.AddSingleton<Streams.ChatGroupCommit>();
        services.AddSingleton<GatewayDrain>();
        services.AddSingleton<LiveEventHandler>();
        services.AddSingleton<Social.SocialRouter>();          // channels, direct messages, mail, friends of this replica's connections
        services.AddSingleton<Social.SocialRequests>();
        services.AddHostedService<GatewayLifetime>();
        services.AddGrpcHealthChecks(o =>
        {
            o.Services.Map("", check => check.Tags.Contains(Readiness.LiveTag));
            o.Services.Map(Quoncept.V1.Gateway.Descriptor.FullName, check => check.Tags.Contains(Readiness.ReadyTag));
            o.UseHealthChecksCache = false;
        })
            .AddCheck("process", () => HealthCheckResult.Healthy("serving"), tags: [Readiness.LiveTag])
            .AddCheck<Readiness>("universe", tags: [Readiness.ReadyTag]);
        return services;
    }
}
