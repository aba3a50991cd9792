using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Quoncept.Dapr.Tests.Support;

namespace Quoncept.Dapr.Tests.Subscriptions;

public sealed class CloudEventsMiddlewareTests : IAsyncLifetime
{
    private InMemoryApp _app = null!;

    private sealed record Moved(string Character, string To);

    public async Task InitializeAsync() => _app = await InMemoryApp.StartAsync(_ => { }, app =>
    {
        app.UseCloudEvents(new CloudEventsMiddlewareOptions { ForwardCloudEventPropertiesAsHeaders = true });
        app.MapPost("/moved", (Moved m, HttpContext c) => Results.Text($"{m.Character}->{m.To} id={c.Request.Headers["Cloudevent.id"]}"));
        app.MapPost("/echo", async (HttpContext c) =>
        {
            using var reader = new StreamReader(c.Request.Body);
            return Results.Text($"{c.Request.ContentType}|{await reader.ReadToEndAsync()}");
        });
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(string path, string body, string contentType = "application/cloudevents+json") =>
        _app.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    [Fact]
    public async Task JsonData_UnwrappedAndBoundToHandlerType()
    {
        var response = await PostAsync("/moved", """
            {"specversion":"1.0","id":"e-1","source":"characters","type":"com.dapr.event.sent","topic":"moves","pubsubname":"pubsub",
             "datacontenttype":"application/json","data":{"character":"c1","to":"sol"}}
            """);
        Assert.Equal("c1->sol id=e-1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TextData_UnwrappedAsText()
    {
        var response = await PostAsync("/echo", """{"specversion":"1.0","id":"1","source":"s","type":"t","datacontenttype":"text/plain","data":"hello"}""");
        Assert.Equal("text/plain|hello", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Base64Data_Decoded()
    {
        var response = await PostAsync("/echo", """{"specversion":"1.0","id":"1","source":"s","type":"t","datacontenttype":"application/octet-stream","data_base64":"AQID"}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/octet-stream|\u0001\u0002\u0003", text);
    }

    [Fact]
    public async Task NotACloudEvent_PassesThrough()
    {
        var response = await PostAsync("/echo", """{"character":"c1"}""", "application/json");
        Assert.Equal("application/json; charset=utf-8|{\"character\":\"c1\"}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{broken")]
    [InlineData("[1,2]")]
    [InlineData("""{"data_base64":"!!!"}""")]
    public async Task MalformedEnvelope_400WithMessage(string body)
    {
        var response = await PostAsync("/echo", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ERR_MALFORMED_CLOUDEVENT", await response.Content.ReadAsStringAsync());
    }
}
