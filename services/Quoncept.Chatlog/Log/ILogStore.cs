namespace Quoncept.Chatlog.Log;

/// <summary>
/// What the log needs of a state store: read keys with their etags, and write several keys at once, each one only
/// if it is still as read. <see cref="DaprLogStore"/> is the state store behind the sidecar.
/// </summary>
internal interface ILogStore
{
    /// <summary>The stored JSON and etag of each key that exists; missing keys are left out.</summary>
    Task<IReadOnlyDictionary<string, StoredValue>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Writes every one of <paramref name="writes"/> in one transaction, or none: throws when a key's etag no longer
    /// matches (another writer came first) or a key written with no etag already exists.
    /// </summary>
    Task CommitAsync(IReadOnlyList<LogWrite> writes, CancellationToken cancellationToken);
}

/// <summary>A stored value (UTF-8 JSON) and its etag.</summary>
internal sealed record StoredValue(byte[] Json, string ETag);

/// <summary>One key to write: <see cref="ETag"/> is the etag it was read with, or null for a key that must not exist yet.</summary>
internal sealed record LogWrite(string Key, byte[] Json, string? ETag);
