using System.Collections.Concurrent;
using System.Net;
using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Quoncept.Sidecar.Tests.Sdk;

/// <summary>
/// A subscriber built the way the services build theirs: Dapr.AspNetCore's <c>UseCloudEvents</c>,
/// <c>MapSubscribeHandler</c> and <c>WithTopic</c>, whose <c>/dapr/subscribe</c> answer is camelCase
/// (<c>pubsubName</c>, <c>routes.rules</c>) with route paths written without a leading slash.
/// </summary>
internal sealed class SdkSubscriberApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SdkSubscriberApp(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>(route, order id) of every event a handler took.</summary>
    public ConcurrentQueue<(string Route, int Id)> Received { get; } = new();

    public sealed record Order(int Id);

    public static async Task<SdkSubscriberApp> StartAsync()
    {
        var port = Runner.FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var subscriber = new SdkSubscriberApp(app, port);
        app.UseCloudEvents();
        app.MapSubscribeHandler();
        app.MapPost("orders", (Order order) => subscriber.Take("orders", order))
            .WithTopic("pubsub", "orders");
        app.MapPost("orders/urgent", (Order order) => subscriber.Take("orders/urgent", order))
            .WithTopic(new TopicOptions { PubsubName = "pubsub", Name = "orders", Match = "event.data.id > 100", Priority = 1 });
        app.MapPost("audits", (Order order) => subscriber.Take("audits", order))
            .WithTopic(new TopicOptions { PubsubName = "pubsub", Name = "audits", DeadLetterTopic = "audits-dead" });
        await app.StartAsync();
        return subscriber;
    }

    private IResult Take(string route, Order order)
    {
        Received.Enqueue((route, order.Id));
        return Results.Ok();
    }

    public async Task<List<(string Route, int Id)>> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        return [.. Received];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
