using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Quoncept.Dapr.Actors;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Actors.Runtime;

namespace Quoncept.Dapr.Testing;

/// <summary>
/// Runs actors in-process, without a sidecar: the "sandbox" for domain tests. Proxies go through the same
/// dispatch, per-actor mailbox and one-transaction-per-turn path as behind a real sidecar; actor state lives in
/// <see cref="ActorState"/>; reminders and timers fire on demand or when the fake clock passes them; events
/// published through the injected <see cref="DaprClient"/> are captured in <see cref="PublishedEvents"/>.
/// </summary>
public sealed class ActorTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ActorRuntime _runtime;
    private readonly TestActorTimerManager _timers;
    private readonly InMemoryDaprClient _client;
    private readonly SemaphoreSlim _clockGate = new(1, 1);
    private Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? _invocationHandler;

    private ActorTestHost(Action<ActorRuntimeOptions> configureActors, Action<IServiceCollection>? configureServices, DateTimeOffset start)
    {
        Now = start;
        var options = new ActorRuntimeOptions();
        configureActors(options);
        var json = options.JsonSerializerOptions;

        ActorState = new InMemoryActorStateStore(json);
        StateStore = new InMemoryStateStore(json);
        _timers = new TestActorTimerManager(() => Now);
        TimeProvider = new TestClock(() => Now);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider);
        services.AddSingleton(options);
        services.AddSingleton<IActorStateProvider>(ActorState);
        services.AddSingleton<IActorTimerManager>(_timers);
        services.AddSingleton<IActorInvoker>(sp => new InProcessActorInvoker(sp));
        services.AddSingleton<DaprClient>(sp => new InMemoryDaprClient(StateStore, json, sp.GetRequiredService<IActorInvoker>(), InvokeAsync));
        configureServices?.Invoke(services);
        services.AddActors(configure: null);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _runtime = _services.GetRequiredService<ActorRuntime>();
        _client = (InMemoryDaprClient)_services.GetRequiredService<DaprClient>();
    }

    /// <summary>Creates a host; <paramref name="configureServices"/> adds what the actors' constructors need.</summary>
    public static ActorTestHost Create(Action<ActorRuntimeOptions> configureActors, Action<IServiceCollection>? configureServices = null, DateTimeOffset? start = null)
    {
        ArgumentNullException.ThrowIfNull(configureActors);
        return new ActorTestHost(configureActors, configureServices, start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    public IServiceProvider Services => _services;

    public IActorProxyFactory ProxyFactory => _services.GetRequiredService<IActorProxyFactory>();

    /// <summary>The in-memory client actors get injected: state, publish capture, in-process actor calls.</summary>
    public DaprClient DaprClient => _client;

    /// <summary>Saved actor state, per (type, id, key).</summary>
    public InMemoryActorStateStore ActorState { get; }

    /// <summary>State saved through <see cref="DaprClient"/>.</summary>
    public InMemoryStateStore StateStore { get; }

    public IReadOnlyList<PublishedEvent> PublishedEvents => _client.Published;

    public IReadOnlyList<ActorReminder> Reminders => _timers.Reminders;

    public IReadOnlyList<ActorTimer> Timers => _timers.Timers;

    /// <summary>
    /// <see cref="Now"/> as a TimeProvider, registered in the host's services (a registration of your own in
    /// configureServices wins), so actors that take a TimeProvider see the fake clock.
    /// </summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The fake clock reminders and timers are scheduled on.</summary>
    public DateTimeOffset Now { get; private set; }

    public TActorInterface CreateProxy<TActorInterface>(string actorId, string actorType) where TActorInterface : IActor =>
        ProxyFactory.CreateActorProxy<TActorInterface>(new ActorId(actorId), actorType);

    public IReadOnlyList<PublishedEvent> PublishedTo(string pubsubName, string topic) =>
        PublishedEvents.Where(e => e.PubsubName == pubsubName && e.Topic == topic).ToList();

    public void ClearPublishedEvents() => _client.ClearPublished();

    public bool IsActive(string actorType, string actorId) => _runtime.IsActive(actorType, actorId);

    /// <summary>Answers service invocations made through <see cref="DaprClient"/>; without one they fail with 501.</summary>
    public void HandleInvocations(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> handler) =>
        _invocationHandler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <summary>Fires a registered reminder now, through the actor's mailbox; a one-shot reminder is then gone.</summary>
    public Task FireReminderAsync(string actorType, string actorId, string reminderName) =>
        FireAsync(_timers.Find(reminder: true, actorType, actorId, reminderName)
            ?? throw new InvalidOperationException($"Actor {actorType}/{actorId} has no reminder '{reminderName}'. Registered: {Describe(Reminders.Select(r => $"{r.ActorType}/{r.ActorId}/{r.Name}"))}."));

    /// <summary>Fires a registered timer now, through the actor's mailbox.</summary>
    public Task FireTimerAsync(string actorType, string actorId, string timerName) =>
        FireAsync(_timers.Find(reminder: false, actorType, actorId, timerName)
            ?? throw new InvalidOperationException($"Actor {actorType}/{actorId} has no timer '{timerName}'. Registered: {Describe(Timers.Select(t => $"{t.ActorType}/{t.ActorId}/{t.Name}"))}."));

    /// <summary>Moves the fake clock forward, firing every reminder and timer that falls due, in due order.</summary>
    public async Task AdvanceTimeAsync(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        }

        await _clockGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var until = Now + by;
            while (_timers.NextDue(until) is { } next)
            {
                if (next.Due > Now)
                {
                    Now = next.Due;
                }

                await FireAsync(next.Item).ConfigureAwait(false);
            }

            Now = until;
        }
        finally
        {
            _clockGate.Release();
        }
    }

    /// <summary>Deactivates one actor as the sidecar does when it idles: OnDeactivateAsync runs, its timers are dropped, state and reminders stay.</summary>
    public async Task DeactivateAsync(string actorType, string actorId)
    {
        await _runtime.DeactivateAsync(actorType, actorId).ConfigureAwait(false);
        _timers.DropTimers(actorType, actorId);
    }

    /// <summary>Deactivates every actor, as if the host process restarted; the next call rebuilds them from saved state.</summary>
    public async Task DeactivateAllAsync()
    {
        await _runtime.DeactivateAllAsync().ConfigureAwait(false);
        foreach (var timer in Timers)
        {
            _timers.DropTimers(timer.ActorType, timer.ActorId.GetId());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _runtime.DeactivateAllAsync().ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
        _clockGate.Dispose();
    }

    private async Task FireAsync(object item)
    {
        switch (item)
        {
            case ActorReminder r:
                await _runtime.FireReminderAsync(r.ActorType, r.ActorId.GetId(), r.Name, r.State, r.DueTime, r.Period, CancellationToken.None).ConfigureAwait(false);
                _timers.AfterFire(reminder: true, r.ActorType, r.ActorId.GetId(), r.Name, r);
                break;
            case ActorTimer t:
                await _runtime.FireTimerAsync(t.ActorType, t.ActorId.GetId(), t.Name, t.Callback, t.Data, CancellationToken.None).ConfigureAwait(false);
                _timers.AfterFire(reminder: false, t.ActorType, t.ActorId.GetId(), t.Name, t);
                break;
        }
    }

    private Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invocationHandler?.Invoke(request, cancellationToken)
        ?? Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotImplemented)
        {
            Content = new StringContent($"ActorTestHost: no handler for {request.Method} {request.RequestUri}; call host.HandleInvocations(...)."),
        });

    private static string Describe(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
