namespace Quoncept.Dapr.Actors;

/// <summary>Overrides the actor type name (default: the class name).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ActorAttribute : Attribute
{
    public string? TypeName { get; set; }
}
