using Quoncept.V1;

namespace Quoncept.Gateway.Streams;

/// <summary>
/// What <see cref="ConnectStream"/> needs of the wire an admitted client talks on: the gRPC
/// Connect call (<see cref="GrpcClientTransport"/>) or a browser's WebSocket
/// (Browser/WebSocketClientTransport). The session logic is written once, against this.
/// </summary>
internal interface IClientTransport
{
    /// <summary>
    /// The client's next request, or null once it has nothing more to say (it closed its side, or
    /// the transport refused what it sent and ends the connection itself). A connection that is
    /// lost throws <see cref="IOException"/> or <see cref="OperationCanceledException"/>.
    /// </summary>
    ValueTask<ClientMessage?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends one message, already encoded (the same bytes may go to many connections); never called twice at once. <paramref name="moreFollow"/>: more messages are
    /// queued behind this one, so the transport may hold it back and send them together.
    /// A connection that is lost throws <see cref="IOException"/>.
    /// </summary>
    Task WriteAsync(OutboundMessage message, bool moreFollow, CancellationToken cancellationToken);
}
