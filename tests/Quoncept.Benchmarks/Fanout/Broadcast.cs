using Quoncept.Testing.V1;

namespace Quoncept.Benchmarks.Fanout;

/// <summary>One broadcast message: as gRPC writes it (serialized per stream, about 0.1 µs at this size) and encoded once for the sockets.</summary>
internal sealed record Broadcast(EchoResponse Message, byte[] Encoded);
