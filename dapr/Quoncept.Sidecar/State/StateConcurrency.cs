namespace Quoncept.Sidecar.State;

/// <summary>Dapr state option <c>concurrency</c>: <c>first-write</c> or <c>last-write</c> (the default).</summary>
internal enum StateConcurrency
{
    LastWrite,
    FirstWrite,
}
