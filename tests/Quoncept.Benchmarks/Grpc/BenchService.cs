using Grpc.Core;
using Quoncept.Testing.V1;

namespace Quoncept.Benchmarks.Grpc;

/// <summary>The server side of the gRPC benchmark: echo, with no work of its own.</summary>
internal sealed class BenchService : TestService.TestServiceBase
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public override Task<EchoResponse> UnaryEcho(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoResponse { Payload = request.Payload });

    /// <summary>
    /// grpc-dotnet flushes every write unless it carries BufferHint; the echo flushes only when no further request is
    /// already buffered, as the gateway writes a stream (a flush per message would measure the flushes, not the stream).
    /// </summary>
    public override async Task BidiEcho(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        var next = requestStream.MoveNext(context.CancellationToken);
        while (await next)
        {
            var payload = requestStream.Current.Payload;
            next = requestStream.MoveNext(context.CancellationToken);
            responseStream.WriteOptions = next.IsCompleted ? Buffered : null;
            await responseStream.WriteAsync(new EchoResponse { Payload = payload });
        }
    }
}
