using System.Collections.Concurrent;
using System.Reflection;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>The proxy-side method table of one actor interface (and the interfaces it extends), checked once.</summary>
internal static class ActorInterfaceInformation
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<MethodInfo, ActorMethod>> Cache = new();

    public static IReadOnlyDictionary<MethodInfo, ActorMethod> Get(Type interfaceType) => Cache.GetOrAdd(interfaceType, Build);

    private static IReadOnlyDictionary<MethodInfo, ActorMethod> Build(Type interfaceType)
    {
        if (!interfaceType.IsInterface || !typeof(IActor).IsAssignableFrom(interfaceType))
        {
            throw new ArgumentException($"{interfaceType.Name} is not an interface deriving from Quoncept.Dapr.Actors.IActor.");
        }

        var table = new Dictionary<MethodInfo, ActorMethod>();
        var names = new Dictionary<string, MethodInfo>(StringComparer.Ordinal);
        foreach (var method in new[] { interfaceType }.Concat(interfaceType.GetInterfaces()).SelectMany(i => i.GetMethods()))
        {
            if (names.TryGetValue(method.Name, out var other) && other != method)
            {
                throw new ArgumentException($"{interfaceType.Name} has two methods named '{method.Name}'; actor methods are dispatched by name, so names must be unique.");
            }

            names[method.Name] = method;
            table[method] = ActorMethod.Describe(method);
        }

        return table;
    }
}
