namespace Quoncept.Dapr;

/// <summary>Dapr state concurrency: <c>first-write</c> (etag must match) or <c>last-write</c>.</summary>
public enum ConcurrencyMode
{
    FirstWrite,
    LastWrite,
}
