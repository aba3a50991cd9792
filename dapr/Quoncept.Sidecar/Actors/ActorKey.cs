namespace Quoncept.Sidecar.Actors;

/// <summary>An actor's identity: its type and id (case-sensitive, as in Dapr).</summary>
internal readonly record struct ActorKey(string Type, string Id)
{
    public override string ToString() => Type + "||" + Id;
}
