using System.Net;
using System.Net.Http.Json;
using Dapr.Client.Autogen.Grpc.v1;
using Grpc.Core;
using Quoncept.Sidecar.Tests.Harness;
using Quoncept.Sidecar.Tracing;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>
/// Tracing through OpenTelemetry: W3C trace context flows caller → runtime → app (invocation, pub/sub, gRPC),
/// and the runtime's spans reach a Zipkin collector with their parent/child links. Stopping the runtime
/// flushes its exporter, so the spans are all there once it is disposed.
/// </summary>
[Collection(ExclusiveTracingCollection.Name)]
public sealed class TracingTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpan = "00f067aa0ba902b7";
    private const string Traceparent = $"00-{TraceId}-{CallerSpan}-01";

    [Fact]
    public async Task Invoke_SampledCaller_ServerAndClientSpansChainedAndAppGetsClientSpanAsParent()
    {
        await using var zipkin = await ZipkinReceiver.StartAsync();
        await using var target = await TestApp.StartAsync();
        var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)], adjust: s => s with { Tracing = new TracingOptions(0, zipkin.Endpoint) });
        await using (sidecar)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1.0/invoke/target/method/traced");
            request.Headers.Add("traceparent", Traceparent);
            var response = await sidecar.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var spans = zipkin.SpansOf(TraceId);
        var server = Assert.Single(spans, s => s.Kind == "SERVER");
        Assert.Equal(CallerSpan, server.ParentId);
        Assert.Equal("quoncept-sidecar", server.Service);
        var client = Assert.Single(spans, s => s.Kind == "CLIENT");
        Assert.Equal(server.Id, client.ParentId);
        var appSaw = Assert.Single(target.Requests).Headers["traceparent"];
        Assert.Equal($"00-{TraceId}-{client.Id}-01", appSaw);
    }

    [Fact]
    public async Task Publish_TraceContinuesThroughMessageToDelivery()
    {
        await using var zipkin = await ZipkinReceiver.StartAsync();
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """[{"pubsubname":"pubsub","topic":"orders","route":"/orders"}]""";
        var sidecar = await TestSidecar.StartAsync([("shop", app)], adjust: s => s with { Tracing = new TracingOptions(1, zipkin.Endpoint) });
        await using (sidecar)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1.0/publish/pubsub/orders") { Content = JsonContent.Create(new { id = 1 }) };
            request.Headers.Add("traceparent", Traceparent);
            Assert.Equal(HttpStatusCode.NoContent, (await sidecar.Client.SendAsync(request)).StatusCode);
            Assert.Single(await app.WaitForAsync(r => r.Path == "/orders", 1));
        }

        var spans = zipkin.SpansOf(TraceId);
        var publish = Assert.Single(spans, s => s.Kind == "SERVER");
        var delivery = Assert.Single(spans, s => s.Kind == "CONSUMER");
        Assert.Equal(publish.Id, delivery.ParentId);
        Assert.Equal("pubsub/pubsub/orders", delivery.Name);
        var post = Assert.Single(spans, s => s.Kind == "CLIENT");
        Assert.Equal(delivery.Id, post.ParentId);
        var delivered = Assert.Single(app.Requests, r => r.Path == "/orders");
        Assert.Equal($"00-{TraceId}-{post.Id}-01", delivered.Headers["traceparent"]);
        Assert.Equal($"00-{TraceId}-{publish.Id}-01", delivered.CloudEvent!.Value.GetProperty("traceparent").GetString());
    }

    [Fact]
    public async Task NewTrace_SamplingRateZero_NothingExportedButContextStillReachesApp()
    {
        await using var zipkin = await ZipkinReceiver.StartAsync();
        await using var target = await TestApp.StartAsync();
        var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)], adjust: s => s with { Tracing = new TracingOptions(0, zipkin.Endpoint) });
        string traceId;
        await using (sidecar)
        {
            Assert.Equal(HttpStatusCode.OK, (await sidecar.Client.GetAsync("v1.0/invoke/target/method/untraced")).StatusCode);
            var seen = Assert.Single(target.Requests).Headers["traceparent"];
            Assert.EndsWith("-00", seen, StringComparison.Ordinal);
            traceId = seen.Split('-')[1];
        }

        Assert.Empty(zipkin.SpansOf(traceId));
    }

    [Fact]
    public async Task GrpcInvokeService_OnlyGrpcTraceBin_AppContinuesThatTrace()
    {
        await using var target = await TestApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)]);
        using var channel = SdkClients.Channel(sidecar.Runtime.Apps.All[0]);
        byte[] traceBin = [0, 0, .. Convert.FromHexString(TraceId), 1, .. Convert.FromHexString(CallerSpan), 2, 1];
        var request = new InvokeServiceRequest
        {
            Id = "target",
            Message = new InvokeRequest { Method = "traced", HttpExtension = new HTTPExtension { Verb = HTTPExtension.Types.Verb.Get } },
        };

        await SdkClients.Generated(channel).InvokeServiceAsync(request, new Metadata { { "grpc-trace-bin", traceBin } });

        var seen = Assert.Single(target.Requests).Headers["traceparent"];
        Assert.StartsWith($"00-{TraceId}-", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(CallerSpan, seen, StringComparison.Ordinal);
    }
}
