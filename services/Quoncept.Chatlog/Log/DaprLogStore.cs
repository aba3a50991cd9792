using System.Text;
using Dapr.Client;

namespace Quoncept.Chatlog.Log;

/// <summary>
/// The log in the state store <see cref="StoreName"/>, through the sidecar (DaprClient: bulk get, and a transaction
/// whose writes carry the etags they were read with; a new key is written first-write, so it must not exist).
/// </summary>
internal sealed class DaprLogStore(DaprClient dapr) : ILogStore
{
    public const string StoreName = "statestore";

    /// <summary>Keys read concurrently by the sidecar for one bulk get.</summary>
    private const int Parallelism = 8;

    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite, Consistency = ConsistencyMode.Strong };

    public async Task<IReadOnlyDictionary<string, StoredValue>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredValue>(StringComparer.Ordinal);
        if (keys.Count == 0) return found;
        var items = await dapr.GetBulkStateAsync(StoreName, [.. keys], Parallelism, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            // A missing key comes back with no value (and no etag).
            if (!string.IsNullOrEmpty(item.Value)) found[item.Key] = new StoredValue(Encoding.UTF8.GetBytes(item.Value), item.ETag);
        }
        return found;
    }

    public Task CommitAsync(IReadOnlyList<LogWrite> writes, CancellationToken cancellationToken) =>
        dapr.ExecuteStateTransactionAsync(StoreName,
            [.. writes.Select(w => new StateTransactionRequest(w.Key, w.Json, StateOperationType.Upsert, string.IsNullOrEmpty(w.ETag) ? null : w.ETag, options: FirstWrite))],
            cancellationToken: cancellationToken);
}
