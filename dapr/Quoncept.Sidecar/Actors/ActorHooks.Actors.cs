using Quoncept.Sidecar.Actors;
using Quoncept.Sidecar.Actors.Api;
using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Actors.Reminders;
using Quoncept.Sidecar.Actors.Timers;

namespace Quoncept.Sidecar.Hosting;

/// <summary>The actor runtime's part of the host hooks (see Hosting/ActorHooks.cs and SEAM.md).</summary>
internal static partial class ActorHooks
{
    static partial void OnAddActorRuntime(IServiceCollection services)
    {
        services.AddSingleton<ActorHosts>();
        services.AddSingleton<ActorActivations>();
        services.AddSingleton<ActorInvoker>();
        services.AddSingleton<ActorTimerService>();
        services.AddSingleton<ReminderService>();
        services.AddSingleton<Quoncept.Sidecar.Api.IMetadataContributor, ActorMetadata>();
        services.AddHostedService<ActorRuntimeService>();
    }

    static partial void OnMapActorApi(WebApplication app) => ActorApi.Map(app);
}
