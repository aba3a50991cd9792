using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// The host side of the actor protocol, independent of HTTP: the endpoints of <c>MapActorsHandlers</c> and the
/// in-process test host both come through here, so both run the same dispatch, mailbox and state transaction.
/// </summary>
internal sealed class ActorRuntime
{
    private readonly Dictionary<string, ActorManager> _managers = new(StringComparer.Ordinal);

    public ActorRuntime(
        ActorRuntimeOptions options, IServiceProvider services, ILoggerFactory loggerFactory,
        IActorProxyFactory proxyFactory, IActorStateProvider stateProvider, IActorTimerManager timerManager)
    {
        Options = options;
        foreach (var registration in options.Actors)
        {
            _managers.Add(registration.TypeName, new ActorManager(registration, options, services, loggerFactory, proxyFactory, stateProvider, timerManager));
        }
    }

    public ActorRuntimeOptions Options { get; }

    public JsonSerializerOptions JsonOptions => Options.JsonSerializerOptions;

    /// <summary>The <c>GET /dapr/config</c> answer.</summary>
    public ActorConfigWire Config() => new()
    {
        Entities = _managers.Keys.ToList(),
        ActorIdleTimeout = DaprDuration.Format(Options.ActorIdleTimeout),
        ActorScanInterval = DaprDuration.Format(Options.ActorScanInterval),
        DrainOngoingCallTimeout = DaprDuration.Format(Options.DrainOngoingCallTimeout),
        DrainRebalancedActors = Options.DrainRebalancedActors,
        Reentrancy = new ReentrancyWire { Enabled = false },
        RemindersStoragePartitions = Options.RemindersStoragePartitions,
    };

    /// <summary>Runs one interface method: JSON argument in, JSON result out (empty for a plain Task).</summary>
    public async Task<byte[]> InvokeMethodAsync(string actorType, string actorId, string methodName, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var manager = Manager(actorType);
        ValidateId(actorId);
        if (!manager.TypeInformation.Methods.TryGetValue(methodName, out var method))
        {
            throw new ActorDispatchException(HttpStatusCode.NotFound, "ERR_ACTOR_METHOD_NOT_FOUND",
                $"Actor type '{actorType}' has no method '{methodName}'. Known: {string.Join(", ", manager.TypeInformation.Methods.Keys.Order())}.");
        }

        var argument = ReadArgument(method, body, actorType, methodName);
        var turn = ActorTurn.Call(
            new ActorMethodContext(methodName, ActorCallType.ActorInterfaceMethod),
            (actor, ct) => method.InvokeAsync(actor, argument, ct),
            cancellationToken);
        var result = await manager.RunAsync(actorId, turn).ConfigureAwait(false);
        return method.ResultType is null ? [] : JsonSerializer.SerializeToUtf8Bytes(result, method.ResultType, JsonOptions);
    }

    public Task FireReminderAsync(string actorType, string actorId, string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken)
    {
        var manager = Manager(actorType);
        ValidateId(actorId);
        if (!manager.TypeInformation.IsRemindable)
        {
            throw new ActorDispatchException(HttpStatusCode.BadRequest, "ERR_ACTOR_NOT_REMINDABLE",
                $"Actor type '{actorType}' got reminder '{reminderName}' but does not implement IRemindable.");
        }

        var turn = ActorTurn.Call(
            new ActorMethodContext(nameof(IRemindable.ReceiveReminderAsync), ActorCallType.ReminderMethod),
            async (actor, _) =>
            {
                await ((IRemindable)actor).ReceiveReminderAsync(reminderName, state, dueTime, period).ConfigureAwait(false);
                return null;
            },
            cancellationToken);
        return manager.RunAsync(actorId, turn);
    }

    public Task FireTimerAsync(string actorType, string actorId, string timerName, string callback, byte[] state, CancellationToken cancellationToken)
    {
        var manager = Manager(actorType);
        ValidateId(actorId);
        if (!manager.TypeInformation.TimerCallbacks.TryGetValue(callback, out var method))
        {
            throw new ActorDispatchException(HttpStatusCode.NotFound, "ERR_ACTOR_TIMER_CALLBACK_NOT_FOUND",
                $"Timer '{timerName}' of actor type '{actorType}' names callback '{callback}', which is not a method Task {callback}(byte[]).");
        }

        var turn = ActorTurn.Call(
            new ActorMethodContext(callback, ActorCallType.TimerMethod),
            (actor, ct) => method.InvokeAsync(actor, state, ct),
            cancellationToken);
        return manager.RunAsync(actorId, turn);
    }

    public Task DeactivateAsync(string actorType, string actorId) => Manager(actorType).DeactivateAsync(actorId);

    public Task DeactivateAllAsync() => Task.WhenAll(_managers.Values.Select(m => m.DeactivateAllAsync()));

    public bool IsActive(string actorType, string actorId) => Manager(actorType).IsActive(actorId);

    public bool IsRegistered(string actorType) => _managers.ContainsKey(actorType);

    private ActorManager Manager(string actorType) =>
        _managers.TryGetValue(actorType, out var manager)
            ? manager
            : throw new ActorDispatchException(HttpStatusCode.NotFound, "ERR_ACTOR_TYPE_NOT_FOUND",
                $"Actor type '{actorType}' is not registered in this app. Registered: {string.Join(", ", _managers.Keys.Order())}.");

    private static void ValidateId(string actorId)
    {
        if (string.IsNullOrWhiteSpace(actorId))
        {
            throw new ActorDispatchException(HttpStatusCode.BadRequest, "ERR_ACTOR_ID_INVALID", "The actor id is empty.");
        }
    }

    private object? ReadArgument(ActorMethod method, ReadOnlyMemory<byte> body, string actorType, string methodName)
    {
        if (method.ParameterType is null || body.IsEmpty)
        {
            return method.ParameterType is { IsValueType: true } t ? Activator.CreateInstance(t) : null;
        }

        try
        {
            return JsonSerializer.Deserialize(body.Span, method.ParameterType, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ActorDispatchException(HttpStatusCode.BadRequest, "ERR_ACTOR_ARGUMENT_INVALID",
                $"The argument of {actorType}.{methodName} is not JSON of type {method.ParameterType.Name}: {ex.Message}");
        }
    }
}
