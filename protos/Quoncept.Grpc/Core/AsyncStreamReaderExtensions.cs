using System.Runtime.CompilerServices;

namespace Quoncept.Grpc;

public static class AsyncStreamReaderExtensions
{
    /// <summary>Every remaining message of the stream as an async sequence.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
