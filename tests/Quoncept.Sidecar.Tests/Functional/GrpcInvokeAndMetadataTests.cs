using System.Net;
using System.Text;
using Dapr.Client;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>InvokeService to an HTTP app, metadata and shutdown over gRPC, as daprd answers them.</summary>
public sealed class GrpcInvokeAndMetadataTests
{
    [Fact]
    public async Task InvokeService_HttpExtension_VerbQueryBodyAndMetadataReachApp()
    {
        await using var target = await TestApp.StartAsync();
        target.Responder = (r, _) => (200, $$"""{"echo":"{{r.Method}} {{r.Path}}{{r.Query}}"}""");
        await using var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)]);
        using var channel = SdkClients.Channel(sidecar.Runtime.Apps.All[0]);

        var call = SdkClients.Generated(channel).InvokeServiceAsync(Invocation("target", "orders/7", HTTPExtension.Types.Verb.Post, "expand=1", """{"n":1}"""),
            new Metadata { { "x-custom", "abc" } });
        var response = await call.ResponseAsync;
        var headers = await call.ResponseHeadersAsync;

        Assert.Equal("""{"echo":"POST /orders/7?expand=1"}""", response.Data.Value.ToStringUtf8());
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal("200", headers.GetValue("dapr-http-status"));
        Assert.StartsWith("application/json", headers.GetValue("dapr-content-type"), StringComparison.Ordinal);
        var seen = Assert.Single(target.Requests);
        Assert.Equal("""{"n":1}""", seen.Body);
        Assert.Equal("application/json", seen.Headers["Content-Type"]);
        Assert.Equal("abc", seen.Headers["x-custom"]);
        Assert.Equal("caller", seen.Headers["dapr-caller-app-id"]);
        Assert.Equal("target", seen.Headers["dapr-callee-app-id"]);
        Assert.False(seen.Headers.ContainsKey("te"), "hop-by-hop headers stay behind");
    }

    [Theory]
    [InlineData(404, StatusCode.NotFound, "Not Found")]
    [InlineData(500, StatusCode.Unknown, "Internal Server Error")]
    [InlineData(400, StatusCode.Internal, "Bad Request")]
    public async Task InvokeService_AppAnswersNon2xx_DaprdStatusWithHttpCodeInErrorInfo(int appStatus, StatusCode expected, string phrase)
    {
        var body = new string('x', 100);
        await using var target = await TestApp.StartAsync();
        target.Responder = (_, _) => (appStatus, $$"""{"why":"{{body}}"}""");
        await using var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)]);
        using var channel = SdkClients.Channel(sidecar.Runtime.Apps.All[0]);

        var call = SdkClients.Generated(channel).InvokeServiceAsync(Invocation("target", "fail", HTTPExtension.Types.Verb.Get, "", null));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal(phrase, error.Status.Detail);
        var info = GrpcAssert.ErrorInfo(error);
        Assert.Equal(phrase, info.Reason);
        Assert.Equal(appStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), info.Metadata["http.code"]);
        Assert.Equal(63, info.Metadata["http.error_message"].Length);
        Assert.StartsWith("""{"why":"xxx""", info.Metadata["http.error_message"], StringComparison.Ordinal);
        Assert.Equal(appStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), (await call.ResponseHeadersAsync).GetValue("dapr-http-status"));
    }

    [Fact]
    public async Task InvokeMethodGrpcAsync_HttpApp_InternalNamingTheMissingHttpExtension()
    {
        await using var target = await TestApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync([("caller", null), ("target", target)]);
        using var dapr = SdkClients.Dapr(sidecar.Runtime.Apps.All[0]);

#pragma warning disable CS0618 // the SDK marks its gRPC invocation obsolete; apps still call it
        var error = await Assert.ThrowsAsync<InvocationException>(() => dapr.InvokeMethodGrpcAsync("target", "hello"));
#pragma warning restore CS0618

        var status = GrpcAssert.HasStatus(error, StatusCode.Internal);
        Assert.Contains("failed to invoke, id: target, err: missing HTTP extension field", status.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task InvokeService_UnknownApp_InternalDirectInvokeError_HttpInvokeOfTheSdk500()
    {
        await using var sidecar = await TestSidecar.StartAsync("caller");
        using var channel = SdkClients.Channel(sidecar.Runtime.Apps.All[0]);
        using var dapr = SdkClients.Dapr(sidecar.Runtime.Apps.All[0]);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            SdkClients.Generated(channel).InvokeServiceAsync(Invocation("ghost", "x", HTTPExtension.Types.Verb.Get, "", null)).ResponseAsync);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.StartsWith("failed to invoke, id: ghost", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("ERR_DIRECT_INVOKE", GrpcAssert.ErrorInfo(error).Reason);

#pragma warning disable CS0618 // the SDK marks its HTTP invocation helpers obsolete; apps still call them
        var http = await Assert.ThrowsAsync<InvocationException>(() => dapr.InvokeMethodAsync(HttpMethod.Get, "ghost", "x"));
#pragma warning restore CS0618
        Assert.Equal(HttpStatusCode.InternalServerError, http.Response!.StatusCode);
        Assert.Contains("ERR_DIRECT_INVOKE", await http.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetMetadataThenGetMetadata_RoundTripsAndIsSharedWithHttpApi()
    {
        await using var app = await TestApp.StartAsync();
        app.Subscriptions = """[{"pubsubname":"pubsub","topic":"orders","route":"/orders"}]""";
        await using var sidecar = await TestSidecar.StartAsync("shop", app);
        using var dapr = SdkClients.Dapr(sidecar.Runtime.Apps.All[0]);

        await dapr.SetMetadataAsync("color", "blue");
        var metadata = await dapr.GetMetadataAsync();

        Assert.Equal("shop", metadata.Id);
        Assert.Equal("blue", metadata.Extended["color"]);
        Assert.Equal("quoncept-local", metadata.Extended["daprRuntimeVersion"]);
        var components = metadata.Components.ToDictionary(c => c.Name);
        Assert.Equal("state.in-memory", components["statestore"].Type);
        Assert.Contains("ACTOR", components["statestore"].Capabilities);
        Assert.Equal("pubsub.in-memory", components["pubsub"].Type);
        Assert.Contains("\"color\":\"blue\"", await sidecar.Client.GetStringAsync("v1.0/metadata"), StringComparison.Ordinal);
        using var channel = SdkClients.Channel(sidecar.Runtime.Apps.All[0]);
        var raw = await SdkClients.Generated(channel).GetMetadataAsync(new GetMetadataRequest());
        var subscription = Assert.Single(raw.Subscriptions);
        Assert.Equal(PubsubSubscriptionType.Programmatic, subscription.Type);
        Assert.Equal("/orders", Assert.Single(subscription.Rules.Rules).Path);
        Assert.Equal(app.Port, raw.AppConnectionProperties.Port);
    }

    [Fact]
    public async Task GetMetadata_TwoApps_CallerIsTheAppOwningTheGrpcPort()
    {
        await using var sidecar = await TestSidecar.StartAsync([("first", null), ("second", null)]);
        using var first = SdkClients.Dapr(sidecar.Runtime.Apps.All[0]);
        using var second = SdkClients.Dapr(sidecar.Runtime.Apps.All[1]);

        await first.SetMetadataAsync("who", "first");

        Assert.Equal("first", (await first.GetMetadataAsync()).Id);
        var other = await second.GetMetadataAsync();
        Assert.Equal("second", other.Id);
        Assert.False(other.Extended.ContainsKey("who"));
    }

    [Fact]
    public async Task ShutdownSidecar_SingleApp_AnswersThenStopsTheRuntime()
    {
        await using var sidecar = await TestSidecar.StartAsync("shop");
        using var dapr = SdkClients.Dapr(sidecar.Runtime.Apps.All[0]);
        var stopping = sidecar.Runtime.App.Lifetime.ApplicationStopping;

        await dapr.ShutdownSidecarAsync();

        var stopped = new TaskCompletionSource();
        using (stopping.Register(() => stopped.TrySetResult()))
        {
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.True(stopping.IsCancellationRequested);
    }

    private static InvokeServiceRequest Invocation(string appId, string method, HTTPExtension.Types.Verb verb, string query, string? json)
    {
        var message = new InvokeRequest { Method = method, HttpExtension = new HTTPExtension { Verb = verb, Querystring = query } };
        if (json is not null)
        {
            message.Data = new Any { Value = ByteString.CopyFrom(json, Encoding.UTF8) };
            message.ContentType = "application/json";
        }
        return new InvokeServiceRequest { Id = appId, Message = message };
    }
}
