using Grpc.Core;

namespace Quoncept.Gateway.Connections;

/// <summary>An admitted connection (and whether it resumed a session in grace), or why not, as a gRPC status.</summary>
internal sealed record Admission(ClientConnection? Connection, bool Resumed, StatusCode Refusal, string Problem)
{
    public static Admission Refuse(StatusCode code, string problem) => new(null, false, code, problem);
}
