using Grpc.Core;

namespace Quoncept.Gateway.Connections;

/// <summary>
/// An admitted connection (and whether it resumed a session in grace) with the limit leases it holds
/// while open, or why not, as a gRPC status. Disposing it gives the leases back.
/// </summary>
internal sealed record Admission(ClientConnection? Connection, bool Resumed, StatusCode Refusal, string Problem, IDisposable? Leases = null) : IDisposable
{
    public static Admission Refuse(StatusCode code, string problem) => new(null, false, code, problem);

    public void Dispose() => Leases?.Dispose();
}
