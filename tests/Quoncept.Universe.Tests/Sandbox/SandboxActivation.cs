using System.Reflection;
using Dapr.Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>
/// One live actor in the sandbox, built the way the SDK's runtime builds it: an
/// <see cref="ActorHost"/> from <see cref="ActorHost.CreateForTest(Type, string, ActorTestOptions)"/>,
/// the actor from DI, activated (OnActivateAsync, then save). Its calls take turns; a turn's state
/// changes are saved when it succeeds and forgotten when it throws, as in the SDK.
/// </summary>
internal sealed class SandboxActivation
{
    // The SDK's runtime reaches these through internal members; the sandbox uses the protected
    // contract every Actor subclass overrides, and sets the state manager through its protected setter.
    private static readonly PropertyInfo StateManagerProperty = typeof(Actor).GetProperty(nameof(Actor.StateManager))!;
    private static readonly MethodInfo OnActivate = typeof(Actor).GetMethod("OnActivateAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly MethodInfo OnDeactivate = typeof(Actor).GetMethod("OnDeactivateAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;

    private readonly SemaphoreSlim _turn = new(1, 1);

    private SandboxActivation(Actor actor) => Actor = actor;

    public Actor Actor { get; }

    public static async Task<SandboxActivation> StartAsync(IServiceProvider services, Type actorType, string typeName, string actorId, ActorTestOptions options, SandboxActorState state)
    {
        var host = ActorHost.CreateForTest(actorType, typeName, options);
        var actor = (Actor)ActivatorUtilities.CreateInstance(services, actorType, host);
        StateManagerProperty.SetValue(actor, new SandboxStateManager(state, typeName, actorId, options.JsonSerializerOptions));
        var activation = new SandboxActivation(actor);
        await activation.TurnAsync(a => Call(OnActivate, a));
        return activation;
    }

    /// <summary>Runs <paramref name="work"/> as the actor's next turn, then saves; a failed turn saves nothing.</summary>
    public async Task<T> TurnAsync<T>(Func<Actor, Task<T>> work)
    {
        await _turn.WaitAsync();
        try
        {
            var result = await work(Actor);
            await Actor.StateManager.SaveStateAsync();
            return result;
        }
        catch
        {
            await Actor.StateManager.ClearCacheAsync();
            throw;
        }
        finally
        {
            _turn.Release();
        }
    }

    public Task TurnAsync(Func<Actor, Task> work) => TurnAsync(async a =>
    {
        await work(a);
        return true;
    });

    /// <summary>OnDeactivateAsync after the turn in progress; nothing is saved (the SDK does not save on deactivation).</summary>
    public async Task DeactivateAsync()
    {
        await _turn.WaitAsync();
        try
        {
            await Actor.StateManager.ClearCacheAsync();
            await Call(OnDeactivate, Actor);
        }
        finally
        {
            _turn.Release();
        }
    }

    private static Task Call(MethodInfo method, Actor actor) => (Task)method.Invoke(actor, null)!;
}
