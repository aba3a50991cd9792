using Grpc.Core;
using Quoncept.Testing.V1;

namespace Quoncept.Benchmarks.Grpc;

/// <summary>The server side of the gRPC benchmark: echo, with no work of its own.</summary>
internal sealed class BenchService : TestService.TestServiceBase
{
    public override Task<EchoResponse> UnaryEcho(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoResponse { Payload = request.Payload });

    public override async Task BidiEcho(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            await responseStream.WriteAsync(new EchoResponse { Payload = requestStream.Current.Payload });
        }
    }
}
