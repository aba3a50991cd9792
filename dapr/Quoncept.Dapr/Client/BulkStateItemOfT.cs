namespace Quoncept.Dapr;

/// <summary>One key of a typed bulk get: <see cref="Value"/> is default when the key does not exist.</summary>
public sealed record BulkStateItem<TValue>(string Key, TValue? Value, string ETag, string? Error = null);
