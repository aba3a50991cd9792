namespace Quoncept.Dapr;

/// <summary>One key of a bulk get: <see cref="Value"/> is the raw JSON text, empty when the key does not exist.</summary>
public sealed record BulkStateItem(string Key, string Value, string ETag, string? Error = null);
