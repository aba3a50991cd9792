namespace Quoncept.Grpc;

/// <summary>Reads the messages of a stream one at a time, as in Grpc.Core.</summary>
public interface IAsyncStreamReader<out T>
{
    T Current { get; }

    Task<bool> MoveNext(CancellationToken cancellationToken);
}
