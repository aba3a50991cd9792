namespace Quoncept.Dapr;

/// <summary>Per-request state options (https://docs.dapr.io/reference/api/state_api/#optional-behaviors).</summary>
public sealed class StateOptions
{
    public ConcurrencyMode? Concurrency { get; init; }

    public ConsistencyMode? Consistency { get; init; }
}
