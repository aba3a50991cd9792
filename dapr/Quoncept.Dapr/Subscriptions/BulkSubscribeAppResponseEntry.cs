namespace Quoncept.Dapr;

/// <summary>The status of one entry, by the <c>entryId</c> the sidecar gave it.</summary>
public sealed record BulkSubscribeAppResponseEntry(string EntryId, BulkSubscribeAppResponseStatus Status);
