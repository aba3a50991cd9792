using System.Collections.Concurrent;
using System.Reflection;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// What the runtime knows about an actor class, computed once per class: its default type name, the explicit
/// method table of its actor interfaces (keyed by method name, so no overloads), and its timer callbacks.
/// </summary>
internal sealed class ActorTypeInformation
{
    private static readonly ConcurrentDictionary<Type, ActorTypeInformation> Cache = new();

    private ActorTypeInformation(Type implementationType)
    {
        if (!typeof(Actor).IsAssignableFrom(implementationType) || implementationType.IsAbstract)
        {
            throw new ArgumentException($"{implementationType.Name} is not a concrete subclass of Quoncept.Dapr.Actors.Actor.");
        }

        ImplementationType = implementationType;
        DefaultTypeName = implementationType.GetCustomAttribute<ActorAttribute>()?.TypeName ?? implementationType.Name;
        IsRemindable = typeof(IRemindable).IsAssignableFrom(implementationType);
        InterfaceTypes = implementationType.GetInterfaces()
            .Where(i => i != typeof(IActor) && typeof(IActor).IsAssignableFrom(i))
            .ToList();

        var methods = new Dictionary<string, ActorMethod>(StringComparer.Ordinal);
        foreach (var method in InterfaceTypes.SelectMany(i => i.GetMethods()).Distinct())
        {
            var described = ActorMethod.Describe(method);
            if (methods.TryGetValue(method.Name, out var existing) && existing.Method != method)
            {
                throw new ArgumentException(
                    $"Actor {implementationType.Name} has two interface methods named '{method.Name}' ({existing.Method.DeclaringType?.Name} and {method.DeclaringType?.Name}); actor methods are dispatched by name, so names must be unique.");
            }

            methods[method.Name] = described;
        }

        Methods = methods;

        var callbacks = new Dictionary<string, ActorMethod>(StringComparer.Ordinal);
        foreach (var method in implementationType.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            var parameters = method.GetParameters();
            if (method.ReturnType == typeof(Task) && parameters.Length == 1 && parameters[0].ParameterType == typeof(byte[]) && !method.IsGenericMethodDefinition)
            {
                callbacks.TryAdd(method.Name, ActorMethod.Describe(method));
            }
        }

        TimerCallbacks = callbacks;
    }

    public Type ImplementationType { get; }

    public string DefaultTypeName { get; }

    public bool IsRemindable { get; }

    public IReadOnlyList<Type> InterfaceTypes { get; }

    public IReadOnlyDictionary<string, ActorMethod> Methods { get; }

    /// <summary>Methods shaped <c>Task M(byte[] state)</c>, by name, that a timer may call.</summary>
    public IReadOnlyDictionary<string, ActorMethod> TimerCallbacks { get; }

    public static ActorTypeInformation Get(Type implementationType) => Cache.GetOrAdd(implementationType, t => new ActorTypeInformation(t));
}
