namespace Quoncept.Sidecar.State;

/// <summary>A stored value (the JSON text the app saved, as bytes) with its opaque ETag.</summary>
internal sealed record StateEntry(string Key, byte[] Value, string ETag);
