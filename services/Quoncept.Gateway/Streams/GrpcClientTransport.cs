using Grpc.Core;
using Quoncept.V1;

namespace Quoncept.Gateway.Streams;

/// <summary>The Connect call (quoncept.v1.Gateway/Connect, grpc-dotnet) as a client transport.</summary>
internal sealed class GrpcClientTransport(IAsyncStreamReader<ClientMessage> requests, IServerStreamWriter<OutboundMessage> responses) : IClientTransport
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public async ValueTask<ClientMessage?> ReadAsync(CancellationToken cancellationToken) =>
        await requests.MoveNext(cancellationToken).ConfigureAwait(false) ? requests.Current : null;

    public Task WriteAsync(OutboundMessage message, bool moreFollow, CancellationToken cancellationToken)
    {
        // grpc-dotnet flushes every write unless it carries BufferHint.
        responses.WriteOptions = moreFollow ? Buffered : null;
        return responses.WriteAsync(message, cancellationToken);
    }
}
