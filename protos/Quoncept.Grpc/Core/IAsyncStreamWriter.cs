namespace Quoncept.Grpc;

/// <summary>Writes the messages of a stream; one write at a time.</summary>
public interface IAsyncStreamWriter<in T>
{
    Task WriteAsync(T message);

    Task WriteAsync(T message, CancellationToken cancellationToken);
}
