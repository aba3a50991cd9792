namespace Quoncept.Sidecar.Api;

/// <summary>
/// One entry of a bulk publish, from either transport: the event's bytes as the app sent them, their
/// content type, and the entry's metadata (merged over the request's).
/// </summary>
internal sealed record BulkPublishItem(string EntryId, byte[] Event, string? ContentType, IReadOnlyDictionary<string, string> Metadata);
