namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// Where the actor runtime plugs into the host. The host always calls <see cref="AddActorRuntime"/>
/// and <see cref="MapActorApi"/>; the actor runtime (dapr/Quoncept.Sidecar/Actors/) implements the
/// two partial methods in its own part of this class. Without that part they compile away and no
/// actor route is mapped, so actor API calls get the runtime's 404 error.
/// </summary>
internal static partial class ActorHooks
{
    public static IServiceCollection AddActorRuntime(this IServiceCollection services)
    {
        OnAddActorRuntime(services);
        return services;
    }

    public static WebApplication MapActorApi(this WebApplication app)
    {
        OnMapActorApi(app);
        return app;
    }

    static partial void OnAddActorRuntime(IServiceCollection services);

    static partial void OnMapActorApi(WebApplication app);
}
