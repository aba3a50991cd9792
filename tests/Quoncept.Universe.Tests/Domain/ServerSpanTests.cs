using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.ServiceDefaults.Hosting;

namespace Quoncept.Universe.Tests.Domain;

public sealed class ServerSpanTests
{
    [Fact]
    public async Task Request_WithTraceparent_ServerSpanJoinsTheTraceNamedByRouteWithHttpTags()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.UseServerSpanTags();
        app.MapGet("/things/{id}", (string id) => id == "bad" ? Results.StatusCode(503) : Results.Ok(id));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };

        using var request = new HttpRequestMessage(HttpMethod.Get, "/things/bad");
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        using var response = await http.SendAsync(request);
        await app.StopAsync();

        var span = Assert.Single(spans, s => s.GetTagItem("url.path") as string == "/things/bad");
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", span.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", span.ParentSpanId.ToHexString());
        Assert.Equal("GET /things/{id}", span.DisplayName);
        Assert.Equal("/things/{id}", span.GetTagItem("http.route"));
        Assert.Equal(503, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }
}
