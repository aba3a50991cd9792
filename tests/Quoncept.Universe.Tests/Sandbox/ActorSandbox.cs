using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using Dapr.Actors;
using Dapr.Actors.Client;
using Dapr.Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.Contracts;

namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>
/// Runs the universe's actors in-process without a sidecar, on the official SDK's test extension
/// points: each actor gets an <see cref="ActorHost"/> from <see cref="ActorHost.CreateForTest(Type, string, ActorTestOptions)"/>
/// whose <see cref="ActorTestOptions.ProxyFactory"/> is this sandbox (actor-to-actor calls stay in
/// it) and whose <see cref="ActorTestOptions.TimerManager"/> schedules on a fake clock.
/// Calls take turns per actor, arguments and answers cross <see cref="WireJson"/> as they would the
/// wire, state is saved after each successful turn, and an actor calling back into an actor already
/// in its call chain fails at once (reentrancy is off, as in the services) instead of deadlocking.
/// </summary>
internal sealed class ActorSandbox : IActorProxyFactory, IAsyncDisposable
{
    private static readonly AsyncLocal<ImmutableList<(string Type, string Id)>?> CallChain = new();

    private readonly ServiceProvider _services;
    private readonly Dictionary<string, Type> _actorTypes;
    private readonly ConcurrentDictionary<(string Type, string Id), Lazy<Task<SandboxActivation>>> _active = new();
    private readonly SandboxClock _clock;
    private readonly SandboxTimers _timers;
    private readonly SemaphoreSlim _clockGate = new(1, 1);

    public ActorSandbox(IEnumerable<Type> actorTypes, Action<IServiceCollection> configureServices, DateTimeOffset? start = null)
    {
        _clock = new SandboxClock(start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _timers = new SandboxTimers(_clock);
        ActorState = new SandboxActorState(WireJson.Options);
        _actorTypes = actorTypes.ToDictionary(t => ActorTypeInformation.Get(t, actorTypeName: null).ActorTypeName, StringComparer.Ordinal);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IActorProxyFactory>(this);
        configureServices(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public IServiceProvider Services => _services;

    public IActorProxyFactory ProxyFactory => this;

    /// <summary>What the actors saved, per (type, id, key).</summary>
    public SandboxActorState ActorState { get; }

    public IReadOnlyList<ActorReminder> Reminders => _timers.Reminders;

    public IReadOnlyList<ActorTimer> Timers => _timers.Timers;

    /// <summary>The fake clock, also registered as the services' <see cref="TimeProvider"/>.</summary>
    public TimeProvider TimeProvider => _clock;

    public DateTimeOffset Now => _clock.Now;

    /// <summary>
    /// Work that runs after a turn answered and that a test waits for once a call from outside the actors (or a
    /// reminder or timer) is done: the actors' background publishes.
    /// </summary>
    public Func<Task>? Settle { get; set; }

    public TActorInterface CreateProxy<TActorInterface>(string actorId, string actorType) where TActorInterface : IActor =>
        CreateActorProxy<TActorInterface>(new ActorId(actorId), actorType);

    public TActorInterface CreateActorProxy<TActorInterface>(ActorId actorId, string actorType, ActorProxyOptions? options = null) where TActorInterface : IActor =>
        SandboxProxy.Create<TActorInterface>(this, actorType, actorId.GetId());

    public object CreateActorProxy(ActorId actorId, Type actorInterfaceType, string actorType, ActorProxyOptions? options = null) =>
        typeof(SandboxProxy).GetMethod(nameof(SandboxProxy.Create))!.MakeGenericMethod(actorInterfaceType).Invoke(null, [this, actorType, actorId.GetId()])!;

    public ActorProxy Create(ActorId actorId, string actorType, ActorProxyOptions? options = null) =>
        throw new NotSupportedException("The sandbox serves typed proxies (CreateActorProxy<T>); untyped InvokeMethodAsync calls are proven against the local runtime.");

    /// <summary>Moves the fake clock forward, firing every reminder and timer that falls due, in due order.</summary>
    public async Task AdvanceTimeAsync(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        await _clockGate.WaitAsync();
        try
        {
            var until = _clock.Now + by;
            while (_timers.NextDue(until) is { } next)
            {
                if (next.Due > _clock.Now) _clock.MoveTo(next.Due);
                await FireAsync(next.Item);
                await SettleAsync();
                _timers.AfterFire(next.Item);
            }

            _clock.MoveTo(until);
        }
        finally
        {
            _clockGate.Release();
        }
    }

    /// <summary>Deactivates every actor, as a restart of their hosts would: timers go, state and reminders stay.</summary>
    public async Task DeactivateAllAsync()
    {
        foreach (var (key, activation) in _active.ToArray())
        {
            if (!_active.TryRemove(key, out _)) continue;
            await (await activation.Value).DeactivateAsync();
            _timers.DropTimers(key.Type, key.Id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DeactivateAllAsync();
        await _services.DisposeAsync();
        _clockGate.Dispose();
    }

    /// <summary>One call through a proxy: a turn of the target, with arguments and answer as JSON in between.</summary>
    internal async Task<object?> InvokeAsync(string actorType, string actorId, MethodInfo method, object?[] args)
    {
        var chain = CallChain.Value ?? [];
        if (chain.Contains((actorType, actorId)))
        {
            throw new ActorMethodInvocationException(
                $"{actorType}/{actorId}.{method.Name} would re-enter an actor already in this call chain ({string.Join(" -> ", chain.Select(c => $"{c.Type}/{c.Id}"))}); reentrancy is off",
                innerException: null!, isTransient: false);
        }

        // Like a network hop: the caller's own turn is not blocked while the callee runs.
        await Task.Yield();
        CallChain.Value = chain.Add((actorType, actorId));
        var parameters = method.GetParameters();
        var wireArgs = args.Select((a, i) => parameters[i].ParameterType == typeof(CancellationToken) ? a : RoundTrip(a, parameters[i].ParameterType)).ToArray();
        var activation = await ActivateAsync(actorType, actorId);
        try
        {
            return await activation.TurnAsync(async actor =>
            {
                var task = (Task)method.Invoke(actor, wireArgs)!;
                await task;
                return method.ReturnType.IsGenericType
                    ? RoundTrip(method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task), method.ReturnType.GetGenericArguments()[0])
                    : null;
            });
        }
        catch (Exception e) when (e is TargetInvocationException or not ActorMethodInvocationException)
        {
            var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            // What a caller sees through a sidecar: the remote failure, wrapped.
            throw new ActorMethodInvocationException($"{actorType}/{actorId}.{method.Name} failed: {cause.Message}", cause, isTransient: false);
        }
        finally
        {
            // A call from outside the actors is answered once the work its turns left behind is done.
            if (chain.IsEmpty)
            {
                await SettleAsync();
            }
        }
    }

    private Task SettleAsync() => Settle?.Invoke() ?? Task.CompletedTask;

    private async Task FireAsync(object item)
    {
        switch (item)
        {
            case ActorReminder r:
                var reminderTarget = await ActivateAsync(r.ActorType, r.ActorId.GetId());
                await reminderTarget.TurnAsync(actor => ((IRemindable)actor).ReceiveReminderAsync(r.Name, r.State, r.DueTime, r.Period));
                break;
            case ActorTimer t:
                var timerTarget = await ActivateAsync(t.ActorType, t.ActorId.GetId());
                await timerTarget.TurnAsync(actor =>
                {
                    var callback = actor.GetType().GetMethod(t.TimerCallback, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!;
                    return (Task)callback.Invoke(actor, callback.GetParameters().Length == 0 ? [] : [t.Data])!;
                });
                break;
        }
    }

    private async Task<SandboxActivation> ActivateAsync(string actorType, string actorId)
    {
        if (!_actorTypes.TryGetValue(actorType, out var type))
        {
            throw new ActorMethodInvocationException($"no actor type '{actorType}' is registered in the sandbox ({string.Join(", ", _actorTypes.Keys)})", null!, isTransient: false);
        }

        var options = new ActorTestOptions
        {
            ActorId = new ActorId(actorId),
            ProxyFactory = this,
            TimerManager = _timers,
            JsonSerializerOptions = WireJson.Options,
            LoggerFactory = _services.GetRequiredService<ILoggerFactory>(),
        };
        var activation = _active.GetOrAdd((actorType, actorId), _ => new Lazy<Task<SandboxActivation>>(
            () => SandboxActivation.StartAsync(_services, type, actorType, actorId, options, ActorState)));
        try
        {
            return await activation.Value;
        }
        catch
        {
            // A failed activation is not kept: the next call tries again, as with a sidecar.
            _active.TryRemove(KeyValuePair.Create((actorType, actorId), activation));
            throw;
        }
    }

    private static object? RoundTrip(object? value, Type type) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, type, WireJson.Options), type, WireJson.Options);
}
