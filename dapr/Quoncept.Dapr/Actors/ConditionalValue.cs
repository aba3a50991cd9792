namespace Quoncept.Dapr.Actors;

/// <summary>A value that may be absent, as returned by the Try* methods of <see cref="IActorStateManager"/>.</summary>
public readonly struct ConditionalValue<TValue>
{
    public ConditionalValue(bool hasValue, TValue value)
    {
        HasValue = hasValue;
        Value = value;
    }

    public bool HasValue { get; }

    public TValue Value { get; }
}
