using System.Text;
using System.Text.Json;
using Quoncept.Dapr.Actors.Client;

namespace Quoncept.Dapr.Testing;

/// <summary>
/// The test host's <see cref="DaprClient"/>: state in <see cref="InMemoryStateStore"/>, publishes captured in
/// order, actor calls routed in-process, service invocation answered by the handler the test installs.
/// </summary>
internal sealed class InMemoryDaprClient(
    InMemoryStateStore state, JsonSerializerOptions jsonOptions, IActorInvoker actors, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> invoke) : DaprClient
{
    private readonly List<PublishedEvent> _published = [];

    public override JsonSerializerOptions JsonSerializerOptions => jsonOptions;

    public IReadOnlyList<PublishedEvent> Published
    {
        get
        {
            lock (_published)
            {
                return _published.ToList();
            }
        }
    }

    public void ClearPublished()
    {
        lock (_published)
        {
            _published.Clear();
        }
    }

    public override async Task<TValue?> GetStateAsync<TValue>(
        string storeName, string key, ConsistencyMode? consistencyMode = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) where TValue : default =>
        (await GetStateAndETagAsync<TValue>(storeName, key, consistencyMode, metadata, cancellationToken).ConfigureAwait(false)).value;

    public override Task<(TValue? value, string etag)> GetStateAndETagAsync<TValue>(
        string storeName, string key, ConsistencyMode? consistencyMode = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) where TValue : default =>
        Task.FromResult(state.TryRead(storeName, key, out var bytes, out var etag)
            ? (StateWire.Deserialize<TValue>(bytes, jsonOptions, storeName, key), etag)
            : (default(TValue), ""));

    public override Task SaveStateAsync<TValue>(
        string storeName, string key, TValue value, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        state.Apply(storeName, [new InMemoryStateStore.Change(key, JsonSerializer.SerializeToUtf8Bytes(value, jsonOptions), null)]);
        return Task.CompletedTask;
    }

    public override Task<bool> TrySaveStateAsync<TValue>(
        string storeName, string key, TValue value, string etag, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        TryApply(storeName, new InMemoryStateStore.Change(key, JsonSerializer.SerializeToUtf8Bytes(value, jsonOptions), etag));

    public override Task DeleteStateAsync(
        string storeName, string key, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        state.Apply(storeName, [new InMemoryStateStore.Change(key, null, null)]);
        return Task.CompletedTask;
    }

    public override Task<bool> TryDeleteStateAsync(
        string storeName, string key, string etag, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        TryApply(storeName, new InMemoryStateStore.Change(key, null, etag));

    public override Task<IReadOnlyList<BulkStateItem>> GetBulkStateAsync(
        string storeName, IReadOnlyList<string> keys, int? parallelism,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<BulkStateItem>>(keys.Select(k => state.TryRead(storeName, k, out var bytes, out var etag)
            ? new BulkStateItem(k, Encoding.UTF8.GetString(bytes), etag)
            : new BulkStateItem(k, "", "")).ToList());

    public override Task<IReadOnlyList<BulkStateItem<TValue>>> GetBulkStateAsync<TValue>(
        string storeName, IReadOnlyList<string> keys, int? parallelism,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<BulkStateItem<TValue>>>(keys.Select(k => state.TryRead(storeName, k, out var bytes, out var etag)
            ? new BulkStateItem<TValue>(k, StateWire.Deserialize<TValue>(bytes, jsonOptions, storeName, k), etag)
            : new BulkStateItem<TValue>(k, default, "")).ToList());

    public override Task ExecuteStateTransactionAsync(
        string storeName, IReadOnlyList<StateTransactionRequest> operations,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        var changes = operations.Select(op =>
        {
            // Same validation as over HTTP: values must be JSON.
            var value = op.OperationType == StateOperationType.Upsert ? Encoding.UTF8.GetBytes(StateWire.ParseJsonValue(op.Value!, op.Key).GetRawText()) : null;
            return new InMemoryStateStore.Change(op.Key, value, op.ETag);
        }).ToList();
        state.Apply(storeName, changes);
        return Task.CompletedTask;
    }

    public override Task PublishEventAsync<TData>(
        string pubsubName, string topicName, TData data, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken = default) =>
        Capture(pubsubName, topicName, "application/json", JsonSerializer.SerializeToUtf8Bytes(data, jsonOptions), metadata);

    public override async Task<BulkPublishResponse<TValue>> BulkPublishEventAsync<TValue>(
        string pubsubName, string topicName, IReadOnlyList<TValue> events,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        foreach (var e in events)
        {
            await Capture(pubsubName, topicName, "application/json", JsonSerializer.SerializeToUtf8Bytes(e, jsonOptions), metadata);
        }

        return new BulkPublishResponse<TValue>([]);
    }

    public override Task PublishByteEventAsync(
        string pubsubName, string topicName, ReadOnlyMemory<byte> data, string dataContentType = "application/json",
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        Capture(pubsubName, topicName, dataContentType, data.ToArray(), metadata);

    public override Task PublishCloudEventAsync<TData>(
        string pubsubName, string topicName, CloudEvent<TData> cloudEvent,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        Capture(pubsubName, topicName, CloudEventWriter.ContentType, CloudEventWriter.Serialize(cloudEvent, jsonOptions), metadata);

    public override HttpRequestMessage CreateInvokeMethodRequest(HttpMethod httpMethod, string appId, string methodName)
    {
        var request = new HttpRequestMessage(httpMethod, new Uri("http://127.0.0.1/" + DaprInvocation.RelativePath(appId, methodName)));
        DaprInvocation.Tag(request, appId, methodName);
        return request;
    }

    public override HttpRequestMessage CreateInvokeMethodRequest<TRequest>(HttpMethod httpMethod, string appId, string methodName, TRequest data)
    {
        var request = CreateInvokeMethodRequest(httpMethod, appId, methodName);
        request.Content = DaprSidecar.JsonContent(JsonSerializer.SerializeToUtf8Bytes(data, jsonOptions));
        return request;
    }

    public override Task<HttpResponseMessage> InvokeMethodWithResponseAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        invoke(request, cancellationToken);

    public override async Task<TResponse> InvokeActorMethodAsync<TRequest, TResponse>(
        string actorType, string actorId, string methodName, TRequest data, CancellationToken cancellationToken = default)
    {
        var result = await actors.InvokeAsync(actorType, actorId, methodName, JsonSerializer.SerializeToUtf8Bytes(data, jsonOptions), cancellationToken).ConfigureAwait(false);
        return ActorInvocation.DeserializeResult<TResponse>(result, jsonOptions, actorType, methodName);
    }

    public override Task InvokeActorMethodAsync<TRequest>(
        string actorType, string actorId, string methodName, TRequest data, CancellationToken cancellationToken = default) =>
        actors.InvokeAsync(actorType, actorId, methodName, JsonSerializer.SerializeToUtf8Bytes(data, jsonOptions), cancellationToken);

    public override Task<bool> CheckHealthAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task<bool> CheckOutboundHealthAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task WaitForSidecarAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task WaitForSidecarAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private Task<bool> TryApply(string storeName, InMemoryStateStore.Change change)
    {
        try
        {
            state.Apply(storeName, [change]);
            return Task.FromResult(true);
        }
        catch (DaprApiException ex) when (StateWire.IsETagMismatch(ex))
        {
            return Task.FromResult(false);
        }
    }

    private Task Capture(string pubsubName, string topicName, string contentType, byte[] data, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(pubsubName);
        ArgumentException.ThrowIfNullOrEmpty(topicName);
        lock (_published)
        {
            _published.Add(new PublishedEvent(pubsubName, topicName, contentType, data, metadata?.ToDictionary(), jsonOptions));
        }

        return Task.CompletedTask;
    }
}
