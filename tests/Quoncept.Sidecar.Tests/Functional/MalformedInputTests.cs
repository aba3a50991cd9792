using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Functional;

/// <summary>Input no SDK would send, as the fuzzer (tests/Quoncept.Faults fuzz) found it: each gets a clear answer.</summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);
    private TestSidecar _sidecar = null!;

    public async Task InitializeAsync() => _sidecar = await TestSidecar.StartAsync("shop");

    public Task DisposeAsync() => _sidecar.DisposeAsync().AsTask();

    [Theory]
    [InlineData("GetState")]
    [InlineData("SaveState")]
    [InlineData("PublishEvent")]
    [InlineData("InvokeService")]
    public async Task GrpcApi_RequestThatIsNotTheMethodsMessage_InternalUnmarshallingErrorAsGrpcGo(string method)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_sidecar.Runtime.Apps.All[0].SidecarGrpcPort}");
        var call = channel.CreateCallInvoker().AsyncUnaryCall(new Method<byte[], byte[]>(MethodType.Unary, "dapr.proto.runtime.v1.Dapr", method, Bytes, Bytes),
            null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), [0x0a, 0x80, 0x80, 0x80, 0x80, 0x01, 0x61]);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.StartsWith("grpc: error unmarshalling request: ", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1.0/state/statestore/a.b")]
    [InlineData("no/such.path")]
    [InlineData("v1.0/metadata/x.y")]
    public async Task HttpApi_UnknownDottedPath_DaprNotFoundError(string path)
    {
        using var response = await _sidecar.Client.PostAsync(path, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_NOT_FOUND", body.RootElement.GetProperty("errorCode").GetString());
    }
}
