namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>One registered actor type: the name the sidecar knows it by and the class that implements it.</summary>
public sealed class ActorRegistration
{
    internal ActorRegistration(string typeName, Type implementationType)
    {
        TypeName = typeName;
        ImplementationType = implementationType;
        TypeInformation = ActorTypeInformation.Get(implementationType);
    }

    public string TypeName { get; }

    public Type ImplementationType { get; }

    internal ActorTypeInformation TypeInformation { get; }
}
