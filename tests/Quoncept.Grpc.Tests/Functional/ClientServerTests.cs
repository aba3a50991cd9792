using Google.Protobuf;
using Grpc.Health.V1;
using Quoncept.Testing.V1;

namespace Quoncept.Grpc.Tests.Functional;

/// <summary>Our client against our server over real Kestrel HTTP/2 on loopback.</summary>
public sealed class ClientServerTests : IAsyncLifetime
{
    private GrpcTestHost _host = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _host = await GrpcTestHost.StartAsync();
        _channel = GrpcChannel.ForAddress(_host.Address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    private static CallOptions Within(int seconds = 10) => new(deadline: DateTime.UtcNow.AddSeconds(seconds));

    [Fact]
    public async Task UnaryEcho_Message_IsEchoed()
    {
        using var call = _channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Message = "hello", Payload = ByteString.CopyFromUtf8("abc") }, Within());
        var response = await call;
        Assert.Equal("hello", response.Message);
        Assert.Equal("abc", response.Payload.ToStringUtf8());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task HealthCheck_Server_IsServing()
    {
        var response = await _channel.AsyncUnaryCall(TestMethods.HealthCheck, new HealthCheckRequest(), Within());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task HealthCheck_UnknownService_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _channel.AsyncUnaryCall(TestMethods.HealthCheck, new HealthCheckRequest { Service = "nope" }, Within()));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task HealthWatch_StatusChange_IsStreamed()
    {
        _host.Health.SetStatus("svc", HealthCheckResponse.Types.ServingStatus.Serving);
        using var call = _channel.AsyncServerStreamingCall(TestMethods.HealthWatch, new HealthCheckRequest { Service = "svc" }, Within());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, call.ResponseStream.Current.Status);
        _host.Health.SetStatus("svc", HealthCheckResponse.Types.ServingStatus.NotServing);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, call.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task ServerStream_Count_SendsThatManyMessages()
    {
        using var call = _channel.AsyncServerStreamingCall(TestMethods.ServerStream, new EchoRequest { Message = "m", ResponseCount = 5 }, Within());
        var indexes = new List<int>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            indexes.Add(response.Index);
        }

        Assert.Equal([0, 1, 2, 3, 4], indexes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStream_ErrorAfterMessages_DeliversMessagesThenStatus()
    {
        using var call = _channel.AsyncServerStreamingCall(TestMethods.ServerStream, new EchoRequest { ResponseCount = 2, Status = new StatusRequest { Code = (int)StatusCode.Aborted, Message = "stop" } }, Within());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("stop", ex.Status.Detail);
    }

    [Fact]
    public async Task ClientStream_Messages_AreCounted()
    {
        using var call = _channel.AsyncClientStreamingCall(TestMethods.ClientStream, Within());
        foreach (var word in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Message = word });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;
        Assert.Equal(3, response.Index);
        Assert.Equal("abc", response.Message);
    }

    [Fact]
    public async Task BidiEcho_EachMessage_IsEchoedInOrder()
    {
        using var call = _channel.AsyncDuplexStreamingCall(TestMethods.BidiEcho, Within());
        for (var i = 0; i < 10; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Message = "m" + i });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal("m" + i, call.ResponseStream.Current.Message);
            Assert.Equal(i, call.ResponseStream.Current.Index);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task UnaryEcho_RequestedStatus_ThrowsWithCodeDetailAndTrailers()
    {
        var headers = new Metadata { { "x-echo-reason", "because" } };
        using var call = _channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Status = new StatusRequest { Code = (int)StatusCode.FailedPrecondition, Message = "no way: 100% ünïcode\n" } }, new CallOptions(headers, DateTime.UtcNow.AddSeconds(10)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("no way: 100% ünïcode\n", ex.Status.Detail);
        Assert.Equal("because", ex.Trailers.GetValue("trailer-x-echo-reason"));
        Assert.Equal("because", (await call.ResponseHeadersAsync).GetValue("x-echo-reason"));
    }

    [Fact]
    public async Task UnaryEcho_Metadata_TextAndBinaryRoundTrip()
    {
        var binary = new byte[] { 0, 1, 2, 250, 251, 255 };
        var headers = new Metadata { { "x-echo-text", "plain value" }, { "x-echo-blob-bin", binary }, { "authorization", "Bearer t" } };
        using var call = _channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Message = "m" }, new CallOptions(headers, DateTime.UtcNow.AddSeconds(10)));
        var response = await call;
        Assert.Contains("authorization", response.MetadataKeys);
        Assert.Contains("x-echo-blob-bin", response.MetadataKeys);
        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("plain value", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(binary, responseHeaders.GetValueBytes("x-echo-blob-bin"));
        Assert.Equal(binary, call.GetTrailers().GetValueBytes("trailer-x-echo-blob-bin"));
    }

    [Fact]
    public async Task BidiEcho_HeadersBeforeAnyMessage_ReachClientBeforeItWrites()
    {
        // A server that announces admission with response headers and then waits for the client's
        // first message: the headers must be on the wire by then, or both sides wait forever.
        var headers = new Metadata { { "x-echo-admitted", "yes" } };
        using var call = _channel.AsyncDuplexStreamingCall(TestMethods.BidiEcho, new CallOptions(headers, DateTime.UtcNow.AddSeconds(10)));
        var responseHeaders = await call.ResponseHeadersAsync.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("yes", responseHeaders.GetValue("x-echo-admitted"));
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Slow_Deadline_IsDeadlineExceededOnBothSides()
    {
        _host.Probe.Reset();
        using var call = _channel.AsyncUnaryCall(TestMethods.Slow, new EchoRequest(), new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(300)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal("set", await _host.Probe.SlowStarted.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("cancelled", await _host.Probe.SlowEnded.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Slow_ClientCancels_IsCancelledOnBothSides()
    {
        _host.Probe.Reset();
        using var cts = new CancellationTokenSource();
        using var call = _channel.AsyncUnaryCall(TestMethods.Slow, new EchoRequest(), new CallOptions(cancellationToken: cts.Token));
        await _host.Probe.SlowStarted.WaitAsync(TimeSpan.FromSeconds(5));
        cts.Cancel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal("cancelled", await _host.Probe.SlowEnded.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task NotImplemented_DeclaredButUnbound_IsUnimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _channel.AsyncUnaryCall(TestMethods.NotImplemented, new EchoRequest(), Within()));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryEcho_OversizedRequest_IsResourceExhausted()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Payload = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) }, Within()));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryEcho_ResponseOverClientLimit_IsResourceExhausted()
    {
        using var small = GrpcChannel.ForAddress(_host.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await small.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { ResponsePayloadSize = 2000 }, Within()));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Dispose_RunningCall_CancelsServerHandler()
    {
        _host.Probe.Reset();
        var call = _channel.AsyncUnaryCall(TestMethods.Slow, new EchoRequest(), Within(30));
        await _host.Probe.SlowStarted.WaitAsync(TimeSpan.FromSeconds(5));
        call.Dispose();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal("cancelled", await _host.Probe.SlowEnded.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task UnaryEcho_DeadlineAlreadyPassed_FailsWithoutSending()
    {
        using var call = _channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(-1)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryEcho_GzipRequestsAndResponses_RoundTrip()
    {
        await using var gzipHost = await GrpcTestHost.StartAsync(o => o.ResponseCompressionAlgorithm = "gzip");
        using var channel = GrpcChannel.ForAddress(gzipHost.Address, new GrpcChannelOptions { RequestCompressionAlgorithm = "gzip" });
        var response = await channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Message = new string('g', 10_000) }, Within());
        Assert.Equal(10_000, response.Message.Length);
        Assert.Equal("gzip", gzipHost.Probe.LastRequestEncoding);
    }

    [Fact]
    public async Task UnaryEcho_OverTlsWithAlpn_Succeeds()
    {
        using var certificate = GrpcTestHost.CreateSelfSignedCertificate();
        await using var tlsHost = await GrpcTestHost.StartAsync(certificate: certificate);
        Assert.Equal("https", tlsHost.Address.Scheme);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString();
        using var channel = GrpcChannel.ForAddress(tlsHost.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var response = await channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Message = "secure" }, Within());
        Assert.Equal("secure", response.Message);
    }

    [Fact]
    public async Task ClientStream_ServerRejects_ResponseAsyncThrowsStatus()
    {
        using var call = _channel.AsyncClientStreamingCall(TestMethods.ClientStream, Within());
        await call.RequestStream.WriteAsync(new EchoRequest { Message = "a", Status = new StatusRequest { Code = (int)StatusCode.OutOfRange, Message = "too far" } });
        await call.RequestStream.CompleteAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
        Assert.Equal(StatusCode.OutOfRange, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task GetStatus_WhileRunning_Throws()
    {
        _host.Probe.Reset();
        using var call = _channel.AsyncUnaryCall(TestMethods.Slow, new EchoRequest(), Within(30));
        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());
    }

    [Fact]
    public async Task UnaryEcho_RequestOverClientSendLimit_IsResourceExhaustedWithoutSending()
    {
        _host.Probe.Reset();
        using var small = GrpcChannel.ForAddress(_host.Address, new GrpcChannelOptions { MaxSendMessageSize = 100 });
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await small.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { Payload = ByteString.CopyFrom(new byte[200]) }, Within()));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Null(_host.Probe.LastRequestEncoding);
    }

    [Fact]
    public async Task UnaryEcho_ResponseOverServerSendLimit_IsResourceExhausted()
    {
        await using var limited = await GrpcTestHost.StartAsync(o => o.MaxSendMessageSize = 1000);
        using var channel = GrpcChannel.ForAddress(limited.Address);
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.AsyncUnaryCall(TestMethods.UnaryEcho, new EchoRequest { ResponsePayloadSize = 5000 }, Within()));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task ServerStream_DeadlineMidStream_MessagesThenDeadlineExceeded()
    {
        using var call = _channel.AsyncServerStreamingCall(TestMethods.ServerStream, new EchoRequest { ResponseCount = 100, DelayMs = 100 }, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(2)));
        var received = 0;
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                received++;
            }
        });
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.InRange(received, 1, 99);
    }
}
