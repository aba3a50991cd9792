using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Quoncept.Sidecar.Tests.Sdk;

/// <summary>
/// An actor host built the way the services build theirs: Dapr.Actors.AspNetCore's <c>AddActors</c> and
/// <c>MapActorsHandlers</c>, talking to its sidecar at <c>http://127.0.0.1:{sidecarHttpPort}</c>. It records
/// the headers of every actor call it receives, to show what the runtime passes through.
/// </summary>
internal sealed class SdkActorHostApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SdkActorHostApp(WebApplication app, int port, ConcurrentQueue<IReadOnlyDictionary<string, string>> calls)
    {
        _app = app;
        Port = port;
        ActorCalls = calls;
    }

    public int Port { get; }

    /// <summary>Headers of each <c>PUT /actors/...</c> call, in arrival order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> ActorCalls { get; }

    public static async Task<SdkActorHostApp> StartAsync(int sidecarHttpPort)
    {
        var port = Runner.FreePort.Next();
        var calls = new ConcurrentQueue<IReadOnlyDictionary<string, string>>();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddActors(options =>
        {
            options.Actors.RegisterActor<EchoActor>();
            options.HttpEndpoint = $"http://127.0.0.1:{sidecarHttpPort}";
        });
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPut(context.Request.Method) && context.Request.Path.StartsWithSegments("/actors"))
            {
                calls.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            }
            await next(context);
        });
        app.MapActorsHandlers();
        await app.StartAsync();
        return new SdkActorHostApp(app, port, calls);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
