namespace Quoncept.Grpc;

/// <summary>Per-call options: metadata, deadline (UTC) and cancellation, as in Grpc.Core.</summary>
public readonly struct CallOptions
{
    public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Headers = headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    public Metadata? Headers { get; }

    public DateTime? Deadline { get; }

    public CancellationToken CancellationToken { get; }

    public CallOptions WithHeaders(Metadata headers) => new(headers, Deadline, CancellationToken);

    public CallOptions WithDeadline(DateTime deadline) => new(Headers, deadline, CancellationToken);

    public CallOptions WithCancellationToken(CancellationToken cancellationToken) => new(Headers, Deadline, cancellationToken);
}
