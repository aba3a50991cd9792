using System.Net;
using Dapr.Client.Autogen.Grpc.v1;
using Grpc.Core;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>The gRPC port takes well-formed gRPC calls to the bound methods only; anything else gets a clear status.</summary>
public sealed class GrpcPortTests : IAsyncLifetime
{
    private TestSidecar _sidecar = null!;

    private Apps.AppInstance Instance => _sidecar.Runtime.Apps.All[0];

    public async Task InitializeAsync() => _sidecar = await TestSidecar.StartAsync("shop");

    public async Task DisposeAsync() => await _sidecar.DisposeAsync();

    [Fact]
    public async Task UnboundDaprMethod_Unimplemented()
    {
        using var channel = SdkClients.Channel(Instance);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            SdkClients.Generated(channel).InvokeBindingAsync(new InvokeBindingRequest { Name = "b", Operation = "create" }).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task UnknownService_Unimplemented()
    {
        using var channel = SdkClients.Channel(Instance);
        var method = new Method<GetMetadataRequest, GetMetadataResponse>(MethodType.Unary, "no.such.Service", "Call",
            Marshallers.Create<GetMetadataRequest>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), GetMetadataRequest.Parser.ParseFrom),
            Marshallers.Create<GetMetadataResponse>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), GetMetadataResponse.Parser.ParseFrom));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), new GetMetadataRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task GarbageRequestMessage_FailsWithStatusWithoutHangingAndServerKeepsServing()
    {
        using var channel = SdkClients.Channel(Instance);
        // Bytes that are not a SaveStateRequest: field 1 declared as a 200-byte string with 3 bytes behind it.
        var method = new Method<byte[], byte[]>(MethodType.Unary, "dapr.proto.runtime.v1.Dapr", "SaveState",
            Marshallers.Create<byte[]>(b => b, b => b), Marshallers.Create<byte[]>(b => b, b => b));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), [0x0A, 0xC8, 0x01, 1, 2, 3]).ResponseAsync);

        Assert.NotEqual(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.Equal("shop", (await SdkClients.Generated(channel).GetMetadataAsync(new GetMetadataRequest())).Id);
    }

    [Fact]
    public async Task OversizedMessage_ResourceExhausted()
    {
        using var channel = SdkClients.Channel(Instance);
        var request = new PublishEventRequest { PubsubName = "pubsub", Topic = "big", Data = Google.Protobuf.ByteString.CopyFrom(new byte[5 * 1024 * 1024]) };

        var error = await Assert.ThrowsAsync<RpcException>(() => SdkClients.Generated(channel).PublishEventAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task HttpApiPath_OnGrpcPort_415NamingTheHttpPort()
    {
        using var http2 = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var response = await http2.GetAsync($"http://127.0.0.1:{Instance.SidecarGrpcPort}/v1.0/metadata");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains($"port {Instance.SidecarHttpPort}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcMethodPath_OnHttpPort_Dapr404()
    {
        var response = await _sidecar.Client.PostAsync("dapr.proto.runtime.v1.Dapr/GetMetadata", new ByteArrayContent([0, 0, 0, 0, 0])
        {
            Headers = { ContentType = new("application/grpc") },
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ERR_NOT_FOUND", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerReflection_ListsTheDaprService()
    {
        using var channel = SdkClients.Channel(Instance);
        var reflection = new Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(channel);

        using var call = reflection.ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "dapr.proto.runtime.v1.Dapr");
    }
}
