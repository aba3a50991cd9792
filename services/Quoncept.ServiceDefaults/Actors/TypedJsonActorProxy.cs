using System.Collections.Concurrent;
using System.Reflection;
using Dapr.Actors;
using Dapr.Actors.Client;

namespace Quoncept.ServiceDefaults.Actors;

/// <summary>
/// An actor interface implemented over the SDK's untyped JSON proxy: a call of
/// <c>Task&lt;TResult&gt; NameAsync(TRequest)</c> becomes <c>InvokeMethodAsync&lt;TRequest, TResult&gt;("NameAsync", request)</c>.
/// Interface methods take at most one argument plus an optional trailing CancellationToken, as the
/// SDK's non-remoting dispatch requires. Not sealed: <see cref="DispatchProxy"/> derives the proxy class from it.
/// </summary>
public class TypedJsonActorProxy : DispatchProxy
{
    private static readonly ConcurrentDictionary<MethodInfo, Func<ActorProxy, object?[], object>> Calls = new();
    private ActorProxy _actor = null!;

    public static TActorInterface Create<TActorInterface>(ActorProxy actor)
        where TActorInterface : IActor
    {
        var proxy = Create<TActorInterface, TypedJsonActorProxy>();
        ((TypedJsonActorProxy)(object)proxy)._actor = actor;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        Calls.GetOrAdd(targetMethod ?? throw new ArgumentNullException(nameof(targetMethod)), Bind)(_actor, args ?? []);

    /// <summary>The SDK call a method maps to, found once per method.</summary>
    private static Func<ActorProxy, object?[], object> Bind(MethodInfo method)
    {
        var parameters = method.GetParameters();
        var hasToken = parameters.Length > 0 && parameters[^1].ParameterType == typeof(CancellationToken);
        var dataCount = parameters.Length - (hasToken ? 1 : 0);
        if (dataCount > 1 || !typeof(Task).IsAssignableFrom(method.ReturnType))
        {
            throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name}: actor methods return Task or Task<T> and take at most one argument (plus a CancellationToken).");
        }

        var result = method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : null;
        Type[] types = (dataCount, result) switch
        {
            (1, { } r) => [parameters[0].ParameterType, r],
            (1, null) => [parameters[0].ParameterType],
            (0, { } r) => [r],
            _ => [],
        };
        var sdk = typeof(ActorProxy).GetMethods().Single(m =>
            m.Name == nameof(ActorProxy.InvokeMethodAsync)
            && m.GetGenericArguments().Length == types.Length
            && m.GetParameters().Length == (dataCount == 1 ? 3 : 2));
        var target = types.Length == 0 ? sdk : sdk.MakeGenericMethod(types);
        return (actor, args) =>
        {
            var token = hasToken ? (CancellationToken)args[^1]! : CancellationToken.None;
            object?[] call = dataCount == 1 ? [method.Name, args[0], token] : [method.Name, token];
            return target.Invoke(actor, call)!;
        };
    }
}
