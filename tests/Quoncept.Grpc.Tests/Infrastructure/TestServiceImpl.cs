using Google.Protobuf;
using Quoncept.Testing.V1;

namespace Quoncept.Grpc.Tests;

/// <summary>quoncept.testing.v1.TestService, the server side of the interop and functional tests.</summary>
public sealed class TestServiceImpl
{
    private const string EchoPrefix = "x-echo-";
    private readonly TestServiceProbe _probe;

    public TestServiceImpl(TestServiceProbe probe)
    {
        _probe = probe;
    }

    public async Task<EchoResponse> UnaryEcho(EchoRequest request, ServerCallContext context)
    {
        _probe.OnRequest(context.GetHttpContext().Request.Headers["grpc-encoding"].ToString());
        await EchoMetadataAsync(context);
        if (request.DelayMs > 0)
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
        }

        ThrowRequestedStatus(request);
        return Respond(request, context, 0);
    }

    public async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        for (var i = 0; i < request.ResponseCount; i++)
        {
            if (request.DelayMs > 0)
            {
                await Task.Delay(request.DelayMs, context.CancellationToken);
            }

            await responseStream.WriteAsync(Respond(request, context, i));
        }

        ThrowRequestedStatus(request);
    }

    public async Task<EchoResponse> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        var count = 0;
        var text = new System.Text.StringBuilder();
        var payloadBytes = 0;
        EchoRequest? last = null;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            count++;
            text.Append(request.Message);
            payloadBytes += request.Payload.Length;
            last = request;
        }

        if (last is not null)
        {
            ThrowRequestedStatus(last);
        }

        return new EchoResponse { Message = text.ToString(), Index = count, Payload = ByteString.CopyFrom(new byte[Math.Min(payloadBytes, 1024)]) };
    }

    public async Task BidiEcho(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        _probe.OnRequest(context.GetHttpContext().Request.Headers["grpc-encoding"].ToString());
        await EchoMetadataAsync(context);
        var index = 0;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var request = requestStream.Current;
            ThrowRequestedStatus(request);
            await responseStream.WriteAsync(Respond(request, context, index++));
        }
    }

    public async Task<EchoResponse> Slow(EchoRequest request, ServerCallContext context)
    {
        _probe.OnSlowStarted(context.Deadline == DateTime.MaxValue ? "none" : "set");
        try
        {
            await Task.Delay(request.DelayMs > 0 ? request.DelayMs : Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            _probe.OnSlowEnded("cancelled");
            throw;
        }

        _probe.OnSlowEnded("completed");
        return Respond(request, context, 0);
    }

    private static EchoResponse Respond(EchoRequest request, ServerCallContext context, int index)
    {
        var response = new EchoResponse
        {
            Message = request.Message,
            Index = index,
            Payload = request.ResponsePayloadSize > 0 ? ByteString.CopyFrom(new byte[request.ResponsePayloadSize]) : request.Payload,
        };
        response.MetadataKeys.AddRange(context.RequestHeaders.Select(e => e.Key).Order(StringComparer.Ordinal));
        return response;
    }

    private static async Task EchoMetadataAsync(ServerCallContext context)
    {
        var echoed = new Metadata();
        foreach (var entry in context.RequestHeaders)
        {
            if (!entry.Key.StartsWith(EchoPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            echoed.Add(entry);
            context.ResponseTrailers.Add(entry.IsBinary
                ? new Metadata.Entry("trailer-" + entry.Key, entry.ValueBytes)
                : new Metadata.Entry("trailer-" + entry.Key, entry.Value));
        }

        if (echoed.Count > 0)
        {
            await context.WriteResponseHeadersAsync(echoed);
        }
    }

    private static void ThrowRequestedStatus(EchoRequest request)
    {
        if (request.Message == "throw")
        {
            throw new InvalidOperationException("secret internal detail");
        }

        if (request.Status is { Code: not 0 } status)
        {
            throw new RpcException(new Status((StatusCode)status.Code, status.Message));
        }
    }
}
