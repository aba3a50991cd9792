using System.Net;
using System.Text.Json;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>Mapping between the public state types and the state API's JSON (https://docs.dapr.io/reference/api/state_api/).</summary>
internal static class StateWire
{
    public static string Concurrency(ConcurrencyMode mode) => mode == ConcurrencyMode.FirstWrite ? "first-write" : "last-write";

    public static string Consistency(ConsistencyMode mode) => mode == ConsistencyMode.Strong ? "strong" : "eventual";

    /// <summary>An etag implies first-write unless the caller chose otherwise, as in the official SDK.</summary>
    public static StateOptionsWire? Options(StateOptions? options, string? etag)
    {
        var concurrency = options?.Concurrency ?? (etag is null ? null : ConcurrencyMode.FirstWrite);
        if (concurrency is null && options?.Consistency is null)
        {
            return null;
        }

        return new StateOptionsWire
        {
            Concurrency = concurrency is { } c ? Concurrency(c) : null,
            Consistency = options?.Consistency is { } s ? Consistency(s) : null,
        };
    }

    /// <summary>Dapr answers an etag mismatch with 409 (ERR_STATE_SAVE/ERR_STATE_DELETE) and a malformed etag with 400 ERR_*_ETAG*.</summary>
    public static bool IsETagMismatch(DaprApiException ex) =>
        ex.StatusCode == HttpStatusCode.Conflict ||
        (ex.StatusCode == HttpStatusCode.BadRequest && ex.ErrorCode.Contains("ETAG", StringComparison.OrdinalIgnoreCase));

    public static TransactionWire Transaction(IReadOnlyList<StateTransactionRequest> operations, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var wire = new List<TransactionOperationWire>(operations.Count);
        foreach (var op in operations)
        {
            wire.Add(new TransactionOperationWire
            {
                Operation = op.OperationType == StateOperationType.Upsert ? "upsert" : "delete",
                Request = new StateItemWire
                {
                    Key = op.Key,
                    Value = op.Value is null ? null : ParseJsonValue(op.Value, op.Key),
                    ETag = op.ETag,
                    Metadata = op.Metadata,
                    Options = Options(op.Options, op.ETag),
                },
            });
        }

        return new TransactionWire { Operations = wire, Metadata = metadata };
    }

    public static JsonElement ParseJsonValue(byte[] utf8Json, string key)
    {
        try
        {
            using var doc = JsonDocument.Parse(utf8Json);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The value of state key '{key}' is not UTF-8 JSON; the HTTP state API carries JSON values.", nameof(utf8Json), ex);
        }
    }

    public static TValue? Deserialize<TValue>(byte[] utf8Json, JsonSerializerOptions options, string storeName, string key)
    {
        try
        {
            return JsonSerializer.Deserialize<TValue>(utf8Json, options);
        }
        catch (JsonException ex)
        {
            throw new DaprException($"State '{key}' in '{storeName}' is not JSON of type {typeof(TValue).Name}: {ex.Message}", ex);
        }
    }

    public static TValue? Deserialize<TValue>(JsonElement element, JsonSerializerOptions options, string storeName, string key)
    {
        // A store that holds non-JSON bytes hands them back base64- or string-encoded; a string then is the value.
        try
        {
            return element.Deserialize<TValue>(options);
        }
        catch (JsonException ex)
        {
            throw new DaprException($"State '{key}' in '{storeName}' is not JSON of type {typeof(TValue).Name}: {ex.Message}", ex);
        }
    }
}
