namespace Quoncept.Dapr.Actors;

/// <summary>The id of one actor of a type; compared ordinally.</summary>
public sealed class ActorId : IEquatable<ActorId>
{
    public ActorId(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("An actor id must not be empty or whitespace.", nameof(id));
        }

        if (id.Contains('/', StringComparison.Ordinal) || id.Contains("||", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Actor id '{id}' must not contain '/' or '||' (Dapr uses them in paths and state keys).", nameof(id));
        }

        Id = id;
    }

    private string Id { get; }

    public static ActorId CreateRandom() => new(Guid.NewGuid().ToString("N"));

    public string GetId() => Id;

    public override string ToString() => Id;

    public bool Equals(ActorId? other) => other is not null && string.Equals(Id, other.Id, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ActorId other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    public static bool operator ==(ActorId? left, ActorId? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ActorId? left, ActorId? right) => !(left == right);
}
