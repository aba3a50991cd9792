namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>One actor's save: the keys written (Bytes null for a removal).</summary>
internal sealed record SavedTransaction(string ActorType, string ActorId, IReadOnlyList<SavedKey> Keys)
{
    public int Bytes => Keys.Sum(k => k.Bytes ?? 0);
}
