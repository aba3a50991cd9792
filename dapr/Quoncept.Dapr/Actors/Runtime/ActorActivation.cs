using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// One live actor and its mailbox: a bounded channel drained by a single loop, so turns run one at a time in
/// arrival order whatever the sidecar does (reentrancy is off). A turn's state changes are saved in one
/// transaction when it succeeds and discarded when it throws.
/// </summary>
internal sealed class ActorActivation
{
    private readonly Channel<ActorTurn> _mailbox;
    private readonly ActorManager _manager;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _activated;

    public ActorActivation(ActorManager manager, string actorId, Actor actor, int capacity, ILogger logger)
    {
        _manager = manager;
        ActorId = actorId;
        Actor = actor;
        _logger = logger;
        _mailbox = Channel.CreateBounded<ActorTurn>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        // The loop must not keep the context of whichever call happened to activate the actor.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(RunAsync);
        }
    }

    public string ActorId { get; }

    public Actor Actor { get; }

    /// <summary>Completes once the activation has deactivated and handed any late turns on.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>False when the activation is shutting down; the caller then retries on a fresh activation.</summary>
    public async ValueTask<bool> TryEnqueueAsync(ActorTurn turn)
    {
        try
        {
            await _mailbox.Writer.WriteAsync(turn).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private async Task RunAsync()
    {
        var reader = _mailbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var turn))
            {
                if (turn.IsDeactivation)
                {
                    await DeactivateAsync(turn).ConfigureAwait(false);
                    return;
                }

                await RunInCallerContext(turn).ConfigureAwait(false);
            }
        }
    }

    private Task RunInCallerContext(ActorTurn turn)
    {
        if (turn.CallerContext is null)
        {
            return RunTurnAsync(turn);
        }

        Task? run = null;
        ExecutionContext.Run(turn.CallerContext, _ => run = RunTurnAsync(turn), null);
        return run!;
    }

    private async Task RunTurnAsync(ActorTurn turn)
    {
        if (turn.CancellationToken.IsCancellationRequested)
        {
            turn.Completion.TrySetCanceled(turn.CancellationToken);
            return;
        }

        var context = turn.Context!;
        ActorCallChain.Enter(_manager.TypeName, ActorId);
        try
        {
            if (!_activated)
            {
                await Actor.ActivateCoreAsync().ConfigureAwait(false);
                await Actor.StateManager.SaveStateAsync(CancellationToken.None).ConfigureAwait(false);
                _activated = true;
            }

            await Actor.PreMethodCoreAsync(context).ConfigureAwait(false);
            var result = await turn.Body!(Actor, turn.CancellationToken).ConfigureAwait(false);
            await Actor.PostMethodCoreAsync(context).ConfigureAwait(false);

            // The method has decided; its changes are saved even if the caller stopped waiting.
            await Actor.StateManager.SaveStateAsync(CancellationToken.None).ConfigureAwait(false);
            turn.Completion.TrySetResult(result);
        }
        catch (Exception ex)
        {
            await Actor.StateManager.ClearCacheAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Actor.MethodFailedCoreAsync(context, ex).ConfigureAwait(false);
            }
            catch (Exception hookError)
            {
                _logger.LogWarning(hookError, "OnActorMethodFailedAsync of {ActorType}/{ActorId} threw", _manager.TypeName, ActorId);
            }

            if (ex is OperationCanceledException && turn.CancellationToken.IsCancellationRequested)
            {
                turn.Completion.TrySetCanceled(turn.CancellationToken);
            }
            else
            {
                turn.Completion.TrySetException(ex);
            }
        }
    }

    /// <summary>Sent by the manager; turns queued before it run first, turns after it go to the next activation.</summary>
    public async Task RequestDeactivationAsync()
    {
        var marker = ActorTurn.Deactivation();
        if (await TryEnqueueAsync(marker).ConfigureAwait(false))
        {
            await marker.Completion.Task.ConfigureAwait(false);
        }

        await Stopped.ConfigureAwait(false);
    }

    private async Task DeactivateAsync(ActorTurn marker)
    {
        _mailbox.Writer.TryComplete();
        try
        {
            // As in the official SDK, deactivation does not save: after a rebalance the actor may already run
            // elsewhere, and a late save from here could overwrite newer state.
            await Actor.StateManager.ClearCacheAsync(CancellationToken.None).ConfigureAwait(false);
            if (_activated)
            {
                await Actor.DeactivateCoreAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Deactivating {ActorType}/{ActorId} threw", _manager.TypeName, ActorId);
        }

        _manager.Remove(this);
        marker.Completion.TrySetResult(null);

        // Turns that slipped in behind the marker keep their order on the next activation.
        var late = new List<ActorTurn>();
        while (_mailbox.Reader.TryRead(out var turn))
        {
            late.Add(turn);
        }

        if (late.Count > 0)
        {
            _ = _manager.ForwardAsync(ActorId, late);
        }

        _stopped.TrySetResult();
    }
}
