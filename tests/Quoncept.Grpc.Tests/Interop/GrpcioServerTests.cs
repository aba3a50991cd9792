using Google.Protobuf;
using Quoncept.Testing.V1;

namespace Quoncept.Grpc.Tests.Interop;

/// <summary>Our client calling a real grpcio server (Debian python3-grpcio) that compresses its responses with gzip.</summary>
public sealed class GrpcioServerTests : IAsyncLifetime
{
    private PeerProcess _server = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _server = PeerProcess.Start("/usr/bin/python3", RepoPaths.GrpcioScripts, "grpcio_server.py", RepoPaths.DescriptorSet);
        string line;
        try
        {
            line = await _server.FirstLineAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException("The grpcio server did not start:\n" + _server.Output);
        }

        Assert.True(line.StartsWith("PORT ", StringComparison.Ordinal), "grpcio server said: " + _server.Output);
        _channel = GrpcChannel.ForAddress("http://127.0.0.1:" + line[5..]);
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        await _server.DisposeAsync();
    }

    private static CallOptions Within(int seconds = 10, Metadata? headers = null) => new(headers, DateTime.UtcNow.AddSeconds(seconds));

    [Fact]
    public async Task OurClient_UnaryToGrpcio_Succeeds()
    {
        var response = await _channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Message = "hello", ResponsePayloadSize = 3000 }, Within());
        Assert.Equal("hello", response.Message);
        Assert.Equal(3000, response.Payload.Length);
    }

    [Fact]
    public async Task OurClient_ServerStreamingFromGrpcio_Succeeds()
    {
        using var call = _channel.AsyncServerStreamingCall(TestMethods.ServerStream, new EchoRequest { ResponseCount = 4 }, Within());
        var indexes = new List<int>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            indexes.Add(response.Index);
        }

        Assert.Equal([0, 1, 2, 3], indexes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task OurClient_ClientStreamingToGrpcio_Succeeds()
    {
        using var call = _channel.AsyncClientStreamingCall(TestMethods.ClientStream, Within());
        foreach (var word in new[] { "x", "y", "z" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Message = word });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;
        Assert.Equal(3, response.Index);
        Assert.Equal("xyz", response.Message);
    }

    [Fact]
    public async Task OurClient_BidiWithGrpcio_PingPong()
    {
        using var call = _channel.AsyncDuplexStreamingCall(TestMethods.BidiEcho, Within());
        for (var i = 0; i < 5; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Message = "p" + i });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal("p" + i, call.ResponseStream.Current.Message);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task OurClient_DeadlineAgainstGrpcio_IsDeadlineExceeded()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _channel.AsyncUnaryCall(TestMethods.Slow, new EchoRequest(), new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(300))));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task OurClient_CancelAgainstGrpcio_IsCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _channel.AsyncUnaryCall(TestMethods.Slow, new EchoRequest(), new CallOptions(cancellationToken: cts.Token)));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task OurClient_MetadataWithGrpcio_TextAndBinaryRoundTrip()
    {
        var blob = new byte[] { 0, 1, 2, 250, 255 };
        using var call = _channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest(), Within(headers: new Metadata { { "x-echo-text", "v1" }, { "x-echo-blob-bin", blob } }));
        var response = await call;
        Assert.Contains("x-echo-blob-bin", response.MetadataKeys);
        var headers = await call.ResponseHeadersAsync;
        Assert.Equal("v1", headers.GetValue("x-echo-text"));
        Assert.Equal(blob, headers.GetValueBytes("x-echo-blob-bin"));
        Assert.Equal(blob, call.GetTrailers().GetValueBytes("trailer-x-echo-blob-bin"));
    }

    [Fact]
    public async Task OurClient_GzipRequestsToGrpcio_Succeeds()
    {
        using var gzip = GrpcChannel.ForAddress(_channel.Address, new GrpcChannelOptions { RequestCompressionAlgorithm = "gzip" });
        var response = await gzip.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Message = new string('q', 5000) }, Within());
        Assert.Equal(5000, response.Message.Length);
    }

    [Fact]
    public async Task OurClient_ErrorStatusFromGrpcio_CarriesCodeDetailAndTrailers()
    {
        using var call = _channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Status = new StatusRequest { Code = 7, Message = "denied: ü 100%" } }, Within(headers: new Metadata { { "x-echo-why", "test" } }));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("denied: ü 100%", ex.Status.Detail);
        Assert.Equal("test", ex.Trailers.GetValue("trailer-x-echo-why"));
    }

    [Fact]
    public async Task OurClient_UnimplementedOnGrpcio_IsUnimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _channel.AsyncUnaryCall(TestMethods.NotImplemented, new EchoRequest(), Within()));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task OurClient_OversizedResponseFromGrpcio_IsResourceExhausted()
    {
        using var small = GrpcChannel.ForAddress(_channel.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 10_000 });
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await small.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Payload = ByteString.CopyFrom(RandomBytes(50_000)) }, Within()));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
