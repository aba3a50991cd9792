using System.Text.Json;

namespace Quoncept.Dapr;

/// <summary>
/// Talks to the Dapr sidecar over the documented HTTP API (https://docs.dapr.io/reference/api/), shaped like
/// the official <c>Dapr.Client.DaprClient</c>: build one with <see cref="DaprClientBuilder"/> or register it
/// with <c>services.AddDaprClient()</c> and keep it for the life of the process.
/// </summary>
public abstract partial class DaprClient : IDisposable
{
    public abstract JsonSerializerOptions JsonSerializerOptions { get; }

    // ---- state: https://docs.dapr.io/reference/api/state_api/

    public abstract Task<TValue?> GetStateAsync<TValue>(
        string storeName, string key, ConsistencyMode? consistencyMode = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    /// <summary>The value (default when the key is absent) and its etag (empty when absent).</summary>
    public abstract Task<(TValue? value, string etag)> GetStateAndETagAsync<TValue>(
        string storeName, string key, ConsistencyMode? consistencyMode = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    public abstract Task SaveStateAsync<TValue>(
        string storeName, string key, TValue value, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    /// <summary>Saves only if <paramref name="etag"/> still matches (first-write); false on an etag mismatch.</summary>
    public abstract Task<bool> TrySaveStateAsync<TValue>(
        string storeName, string key, TValue value, string etag, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    public abstract Task DeleteStateAsync(
        string storeName, string key, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes only if <paramref name="etag"/> still matches; false on an etag mismatch.</summary>
    public abstract Task<bool> TryDeleteStateAsync(
        string storeName, string key, string etag, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<BulkStateItem>> GetBulkStateAsync(
        string storeName, IReadOnlyList<string> keys, int? parallelism,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<BulkStateItem<TValue>>> GetBulkStateAsync<TValue>(
        string storeName, IReadOnlyList<string> keys, int? parallelism,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    public abstract Task ExecuteStateTransactionAsync(
        string storeName, IReadOnlyList<StateTransactionRequest> operations,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    // ---- pub/sub: https://docs.dapr.io/reference/api/pubsub_api/

    /// <summary>Publishes <paramref name="data"/> as JSON; the sidecar wraps it in a CloudEvent unless metadata says <c>rawPayload=true</c>.</summary>
    public Task PublishEventAsync<TData>(string pubsubName, string topicName, TData data, CancellationToken cancellationToken = default) =>
        PublishEventAsync(pubsubName, topicName, data, metadata: null, cancellationToken);

    public abstract Task PublishEventAsync<TData>(
        string pubsubName, string topicName, TData data, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes <paramref name="events"/> as JSON in one request (bulk publish, alpha in Dapr). Not
    /// transactional and, as Dapr documents, with no order among the entries; the answer lists the
    /// entries that failed. A request the sidecar refuses as a whole throws <see cref="DaprException"/>.
    /// </summary>
    public abstract Task<BulkPublishResponse<TValue>> BulkPublishEventAsync<TValue>(
        string pubsubName, string topicName, IReadOnlyList<TValue> events,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    /// <summary>Publishes an event without data.</summary>
    public Task PublishEventAsync(string pubsubName, string topicName, CancellationToken cancellationToken = default) =>
        PublishByteEventAsync(pubsubName, topicName, ReadOnlyMemory<byte>.Empty, "application/json", null, cancellationToken);

    /// <summary>Publishes bytes as they are, with their content type.</summary>
    public abstract Task PublishByteEventAsync(
        string pubsubName, string topicName, ReadOnlyMemory<byte> data, string dataContentType = "application/json",
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    /// <summary>Publishes a ready CloudEvent (<c>application/cloudevents+json</c>); the sidecar does not wrap it again.</summary>
    public abstract Task PublishCloudEventAsync<TData>(
        string pubsubName, string topicName, CloudEvent<TData> cloudEvent,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
