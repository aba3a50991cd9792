namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>One operation of an actor state transaction: an upsert carries UTF-8 JSON, a delete carries none.</summary>
internal sealed record ActorStateChange(string StateName, byte[]? Value)
{
    public bool IsDelete => Value is null;
}
