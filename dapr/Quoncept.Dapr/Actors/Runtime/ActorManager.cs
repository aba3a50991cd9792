using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.Dapr.Actors.Client;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>The live actors of one type: creates them on first call (constructor gets DI services plus an ActorHost) and routes turns to their mailboxes.</summary>
internal sealed class ActorManager
{
    private readonly ConcurrentDictionary<string, ActorActivation> _activations = new(StringComparer.Ordinal);
    private readonly ObjectFactory _factory;
    private readonly IServiceProvider _services;
    private readonly ActorRuntimeOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IActorProxyFactory _proxyFactory;
    private readonly IActorStateProvider _stateProvider;
    private readonly IActorTimerManager _timerManager;
    private readonly ILogger _logger;

    public ActorManager(
        ActorRegistration registration, ActorRuntimeOptions options, IServiceProvider services, ILoggerFactory loggerFactory,
        IActorProxyFactory proxyFactory, IActorStateProvider stateProvider, IActorTimerManager timerManager)
    {
        Registration = registration;
        _options = options;
        _services = services;
        _loggerFactory = loggerFactory;
        _proxyFactory = proxyFactory;
        _stateProvider = stateProvider;
        _timerManager = timerManager;
        _logger = loggerFactory.CreateLogger<ActorManager>();
        _factory = ActivatorUtilities.CreateFactory(registration.ImplementationType, [typeof(ActorHost)]);
    }

    public ActorRegistration Registration { get; }

    public string TypeName => Registration.TypeName;

    public ActorTypeInformation TypeInformation => Registration.TypeInformation;

    public int ActiveCount => _activations.Count;

    public bool IsActive(string actorId) => _activations.ContainsKey(actorId);

    /// <summary>Queues a turn for the actor (activating it if needed) and waits for its result.</summary>
    public async Task<object?> RunAsync(string actorId, ActorTurn turn)
    {
        await ForwardAsync(actorId, [turn]).ConfigureAwait(false);
        return await turn.Completion.Task.ConfigureAwait(false);
    }

    public async Task ForwardAsync(string actorId, IReadOnlyList<ActorTurn> turns)
    {
        foreach (var turn in turns)
        {
            while (true)
            {
                var activation = GetOrActivate(actorId);
                if (await activation.TryEnqueueAsync(turn).ConfigureAwait(false))
                {
                    break;
                }

                await activation.Stopped.ConfigureAwait(false);
            }
        }
    }

    public async Task DeactivateAsync(string actorId)
    {
        if (_activations.TryGetValue(actorId, out var activation))
        {
            await activation.RequestDeactivationAsync().ConfigureAwait(false);
        }
    }

    public Task DeactivateAllAsync() => Task.WhenAll(_activations.Values.Select(a => a.RequestDeactivationAsync()));

    public void Remove(ActorActivation activation) =>
        _activations.TryRemove(new KeyValuePair<string, ActorActivation>(activation.ActorId, activation));

    private ActorActivation GetOrActivate(string actorId)
    {
        if (_activations.TryGetValue(actorId, out var existing))
        {
            return existing;
        }

        // Under a lock so that a racing second caller never constructs a second instance of the same actor.
        lock (_activations)
        {
            return _activations.TryGetValue(actorId, out existing) ? existing : _activations[actorId] = Activate(actorId);
        }
    }

    private ActorActivation Activate(string actorId)
    {
        var host = new ActorHost(TypeName, new ActorId(actorId), _options.JsonSerializerOptions, _loggerFactory, _proxyFactory, _stateProvider, _timerManager);
        var actor = (Actor)_factory(_services, [host]);
        return new ActorActivation(this, actorId, actor, _options.MailboxCapacity, _logger);
    }
}
