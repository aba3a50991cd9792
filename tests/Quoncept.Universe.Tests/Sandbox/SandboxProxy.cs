using System.Reflection;
using Dapr.Actors;

namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>
/// A typed actor proxy in the sandbox: every interface call becomes one turn of the target actor
/// (<see cref="ActorSandbox.InvokeAsync"/>). Not sealed: <see cref="DispatchProxy"/> derives the proxy class from it.
/// </summary>
internal class SandboxProxy : DispatchProxy
{
    private ActorSandbox _sandbox = null!;
    private string _actorType = null!;
    private string _actorId = null!;

    public static TActorInterface Create<TActorInterface>(ActorSandbox sandbox, string actorType, string actorId)
        where TActorInterface : IActor
    {
        var proxy = Create<TActorInterface, SandboxProxy>();
        var self = (SandboxProxy)(object)proxy;
        (self._sandbox, self._actorType, self._actorId) = (sandbox, actorType, actorId);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var call = _sandbox.InvokeAsync(_actorType, _actorId, targetMethod, args ?? []);
        if (targetMethod.ReturnType == typeof(Task)) return call;
        var resultType = targetMethod.ReturnType.GetGenericArguments()[0];
        return typeof(SandboxProxy).GetMethod(nameof(Typed), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(resultType).Invoke(null, [call]);
    }

    private static async Task<T> Typed<T>(Task<object?> call) => (T)(await call)!;
}
