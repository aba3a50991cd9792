namespace Quoncept.Dapr;

/// <summary>
/// One operation of <see cref="DaprClient.ExecuteStateTransactionAsync"/>. As in the official SDK the value is bytes;
/// over the HTTP API they must be UTF-8 JSON (use <see cref="DaprClient.SerializeToUtf8Bytes{T}"/> or JsonSerializer).
/// </summary>
public sealed class StateTransactionRequest
{
    public StateTransactionRequest(
        string key,
        byte[]? value,
        StateOperationType operationType,
        string? etag = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        StateOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (operationType == StateOperationType.Upsert && value is null)
        {
            throw new ArgumentException($"An upsert of state key '{key}' needs a value.", nameof(value));
        }

        Key = key;
        Value = value;
        OperationType = operationType;
        ETag = etag;
        Metadata = metadata;
        Options = options;
    }

    public string Key { get; }
    public byte[]? Value { get; }
    public StateOperationType OperationType { get; }
    public string? ETag { get; }
    public IReadOnlyDictionary<string, string>? Metadata { get; }
    public StateOptions? Options { get; }
}
