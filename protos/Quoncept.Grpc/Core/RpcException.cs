namespace Quoncept.Grpc;

/// <summary>
/// A call ended with a non-OK status. Thrown by the client; handlers throw it to choose the
/// status (and trailers) the caller receives.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(Status status)
        : this(status, Metadata.Empty, null)
    {
    }

    public RpcException(Status status, string message)
        : this(status, Metadata.Empty, message)
    {
    }

    public RpcException(Status status, Metadata trailers)
        : this(status, trailers, null)
    {
    }

    public RpcException(Status status, Metadata trailers, string? message)
        : base(message ?? $"Status(StatusCode=\"{status.StatusCode}\", Detail=\"{status.Detail}\")", status.DebugException)
    {
        Status = status;
        Trailers = trailers ?? Metadata.Empty;
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.StatusCode;

    public Metadata Trailers { get; }
}
