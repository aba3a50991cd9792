namespace Quoncept.Dapr;

/// <summary>Everything <see cref="TopicAttribute"/> can say, for the <c>WithTopic(...)</c> endpoint builder.</summary>
public sealed class TopicOptions
{
    public required string PubsubName { get; init; }

    public required string Name { get; init; }

    public bool EnableRawPayload { get; init; }

    public string? DeadLetterTopic { get; init; }

    public string? Match { get; init; }

    public int Priority { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    internal TopicAttribute ToAttribute() => new(PubsubName, Name)
    {
        EnableRawPayload = EnableRawPayload,
        DeadLetterTopic = DeadLetterTopic,
        Match = Match,
        Priority = Priority,
        Metadata = Metadata?.Select(kv => $"{kv.Key}={kv.Value}").ToArray(),
    };
}
