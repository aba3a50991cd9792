using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>State calls (https://docs.dapr.io/reference/api/state_api/).</summary>
internal sealed partial class DaprHttpClient
{
    // GET /v1.0/state/{store}/{key}?consistency=..&metadata.k=v -> 200 value + ETag header | 204 absent
    public override async Task<TValue?> GetStateAsync<TValue>(
        string storeName, string key, ConsistencyMode? consistencyMode = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) where TValue : default =>
        (await GetStateAndETagAsync<TValue>(storeName, key, consistencyMode, metadata, cancellationToken).ConfigureAwait(false)).value;

    public override async Task<(TValue? value, string etag)> GetStateAndETagAsync<TValue>(
        string storeName, string key, ConsistencyMode? consistencyMode = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) where TValue : default
    {
        var path = StatePath(storeName, key);
        if (consistencyMode is { } c)
        {
            DaprSidecar.AppendQuery(path, "consistency", StateWire.Consistency(c));
        }

        DaprSidecar.AppendMetadata(path, metadata);
        using var request = _sidecar.CreateRequest(HttpMethod.Get, path.ToString());
        using var response = await _sidecar.SendCheckedAsync(request, $"Get state '{key}' from '{storeName}'", cancellationToken).ConfigureAwait(false);
        var etag = response.Headers.TryGetValues("ETag", out var values) ? values.FirstOrDefault() ?? "" : "";
        if (DaprSidecar.IsNoContent(response))
        {
            return (default, etag);
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return (bytes.Length == 0 ? default : StateWire.Deserialize<TValue>(bytes, _sidecar.JsonOptions, storeName, key), etag);
    }

    // POST /v1.0/state/{store} [{"key","value","etag","metadata","options"}] -> 204
    public override Task SaveStateAsync<TValue>(
        string storeName, string key, TValue value, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        SaveCoreAsync(storeName, key, value, etag: null, stateOptions, metadata, cancellationToken);

    public override async Task<bool> TrySaveStateAsync<TValue>(
        string storeName, string key, TValue value, string etag, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(etag);
        try
        {
            await SaveCoreAsync(storeName, key, value, etag, stateOptions, metadata, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DaprApiException ex) when (StateWire.IsETagMismatch(ex))
        {
            return false;
        }
    }

    private async Task SaveCoreAsync<TValue>(
        string storeName, string key, TValue value, string? etag, StateOptions? stateOptions,
        IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var item = new StateItemWire
        {
            Key = key,
            Value = JsonSerializer.SerializeToElement(value, _sidecar.JsonOptions),
            ETag = etag,
            Options = StateWire.Options(stateOptions, etag),
            Metadata = metadata,
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(new List<StateItemWire> { item }, DaprWireContext.Default.ListStateItemWire);
        using var request = _sidecar.CreateRequest(HttpMethod.Post, StoreRoot(storeName).ToString());
        request.Content = DaprSidecar.JsonContent(body);
        using var response = await _sidecar.SendCheckedAsync(request, $"Save state '{key}' to '{storeName}'", cancellationToken).ConfigureAwait(false);
    }

    // DELETE /v1.0/state/{store}/{key}?concurrency=..&consistency=.. with If-Match: {etag} -> 204
    public override Task DeleteStateAsync(
        string storeName, string key, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        DeleteCoreAsync(storeName, key, etag: null, stateOptions, metadata, cancellationToken);

    public override async Task<bool> TryDeleteStateAsync(
        string storeName, string key, string etag, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(etag);
        try
        {
            await DeleteCoreAsync(storeName, key, etag, stateOptions, metadata, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DaprApiException ex) when (StateWire.IsETagMismatch(ex))
        {
            return false;
        }
    }

    private async Task DeleteCoreAsync(
        string storeName, string key, string? etag, StateOptions? stateOptions,
        IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var path = StatePath(storeName, key);
        var options = StateWire.Options(stateOptions, etag);
        if (options?.Concurrency is { } concurrency)
        {
            DaprSidecar.AppendQuery(path, "concurrency", concurrency);
        }

        if (options?.Consistency is { } consistency)
        {
            DaprSidecar.AppendQuery(path, "consistency", consistency);
        }

        DaprSidecar.AppendMetadata(path, metadata);
        using var request = _sidecar.CreateRequest(HttpMethod.Delete, path.ToString());
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        using var response = await _sidecar.SendCheckedAsync(request, $"Delete state '{key}' from '{storeName}'", cancellationToken).ConfigureAwait(false);
    }

    // POST /v1.0/state/{store}/bulk {"keys":[..],"parallelism":n} -> [{"key","data","etag","error"}]
    public override async Task<IReadOnlyList<BulkStateItem>> GetBulkStateAsync(
        string storeName, IReadOnlyList<string> keys, int? parallelism,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        var items = await GetBulkCoreAsync(storeName, keys, parallelism, metadata, cancellationToken).ConfigureAwait(false);
        return items.Select(i => new BulkStateItem(i.Key ?? "", i.Data is { } d ? d.GetRawText() : "", i.ETag ?? "", i.Error)).ToList();
    }

    public override async Task<IReadOnlyList<BulkStateItem<TValue>>> GetBulkStateAsync<TValue>(
        string storeName, IReadOnlyList<string> keys, int? parallelism,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        var items = await GetBulkCoreAsync(storeName, keys, parallelism, metadata, cancellationToken).ConfigureAwait(false);
        return items.Select(i => new BulkStateItem<TValue>(
            i.Key ?? "",
            i.Data is { } d ? StateWire.Deserialize<TValue>(d, _sidecar.JsonOptions, storeName, i.Key ?? "") : default,
            i.ETag ?? "",
            i.Error)).ToList();
    }

    private async Task<List<BulkGetItemWire>> GetBulkCoreAsync(
        string storeName, IReadOnlyList<string> keys, int? parallelism,
        IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (parallelism is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(parallelism), "parallelism must be at least 1.");
        }

        var path = StoreRoot(storeName).Append("/bulk");
        DaprSidecar.AppendMetadata(path, metadata);
        var body = JsonSerializer.SerializeToUtf8Bytes(new BulkGetRequestWire { Keys = keys, Parallelism = parallelism }, DaprWireContext.Default.BulkGetRequestWire);
        using var request = _sidecar.CreateRequest(HttpMethod.Post, path.ToString());
        request.Content = DaprSidecar.JsonContent(body);
        using var response = await _sidecar.SendCheckedAsync(request, $"Bulk get {keys.Count} keys from '{storeName}'", cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync(DaprWireContext.Default.ListBulkGetItemWire, cancellationToken).ConfigureAwait(false) ?? [];
        }
        catch (JsonException ex)
        {
            throw new DaprException($"The sidecar's bulk state answer for '{storeName}' is not the documented JSON array: {ex.Message}", ex);
        }
    }

    // POST /v1.0/state/{store}/transaction {"operations":[{"operation","request"}],"metadata"} -> 204
    public override async Task ExecuteStateTransactionAsync(
        string storeName, IReadOnlyList<StateTransactionRequest> operations,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(StateWire.Transaction(operations, metadata), DaprWireContext.Default.TransactionWire);
        using var request = _sidecar.CreateRequest(HttpMethod.Post, StoreRoot(storeName).Append("/transaction").ToString());
        request.Content = DaprSidecar.JsonContent(body);
        using var response = await _sidecar.SendCheckedAsync(request, $"State transaction of {operations.Count} operations on '{storeName}'", cancellationToken).ConfigureAwait(false);
    }

    private static StringBuilder StoreRoot(string storeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeName);
        return new StringBuilder("v1.0/state/").Append(DaprSidecar.Escape(storeName));
    }

    private static StringBuilder StatePath(string storeName, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return StoreRoot(storeName).Append('/').Append(DaprSidecar.Escape(key));
    }
}
