using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Quoncept.Contracts;

namespace Quoncept.Gateway.Streams;

/// <summary>
/// Group commit of chat lines, per system: the first line said in a system goes to its actor at once (a batch of
/// one); the lines said by this replica's clients while that call is in flight queue, and go together in the next
/// call (<see cref="ISystemActor.ChatBatchAsync"/>, at most <see cref="ChatLimits.MaxBatch"/>), which the actor takes in
/// one turn with one save and one event. A system actor takes one turn at a time, so without this a crowded system
/// carries only as many lines a second as turns fit in it; with it, each turn carries what queued behind the last.
/// A lone line costs what it did alone.
/// </summary>
internal sealed class ChatGroupCommit(ActorDirectory actors, IOptions<GatewayOptions> options, ILogger<ChatGroupCommit> logger)
{
    private readonly ConcurrentDictionary<string, SystemLine> _systems = new(StringComparer.Ordinal);
    private readonly ActorDirectory _actors = actors;
    private readonly string _gatewayId = options.Value.GatewayId;
    private readonly ILogger _logger = logger;

    /// <summary>The actor's outcome for <paramref name="line"/>; throws as the actor call did when it failed.</summary>
    public Task<ChatOutcome> SayAsync(string systemId, ChatCommand line) =>
        _systems.GetOrAdd(systemId, id => new SystemLine(id, this)).Enqueue(line);

    /// <param name="Request">The span of the request that said the line, if traced.</param>
    private sealed record Waiting(ChatCommand Line, Activity? Request, TaskCompletionSource<ChatOutcome> Outcome);

    /// <summary>One system's queue and its one sender.</summary>
    private sealed class SystemLine(string systemId, ChatGroupCommit owner)
    {
        private readonly Lock _gate = new();
        private readonly List<Waiting> _queue = [];
        private bool _sending;

        public Task<ChatOutcome> Enqueue(ChatCommand line)
        {
            var waiting = new Waiting(line, Activity.Current, new TaskCompletionSource<ChatOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
            bool start;
            lock (_gate)
            {
                _queue.Add(waiting);
                start = !_sending;
                _sending = true;
            }

            if (start)
            {
                // The sender serves every client of the system: it must not run in the trace (or other context) of the one that started it.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = Task.Run(SendAsync);
                }
            }

            return waiting.Outcome.Task;
        }

        private async Task SendAsync()
        {
            while (Take() is { } batch)
            {
                await SendBatchAsync(batch).ConfigureAwait(false);
            }
        }

        /// <summary>The next batch, or null (and the sender stops) when nothing waits.</summary>
        private List<Waiting>? Take()
        {
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _sending = false;
                    return null;
                }

                var count = Math.Min(_queue.Count, ChatLimits.MaxBatch);
                var batch = _queue.GetRange(0, count);
                _queue.RemoveRange(0, count);
                return batch;
            }
        }

        private async Task SendBatchAsync(List<Waiting> batch)
        {
            GatewayMetrics.ChatBatchSent(batch.Count);
            // A lone line is called in its request's trace (that span is open: its request awaits this outcome); a batch
            // is a trace of its own, linked to each request's.
            var span = batch.Count == 1
                ? null
                : GatewayTracing.StartChatBatch(systemId, batch.Select(w => w.Request?.Context ?? default), batch.Count, owner._gatewayId);
            if (batch.Count == 1) Activity.Current = batch[0].Request;
            try
            {
                var outcome = await owner._actors.System(systemId).ChatBatchAsync(new ChatBatch([.. batch.Select(w => w.Line)])).ConfigureAwait(false);
                if (outcome.Error is { } error)
                {
                    foreach (var w in batch) w.Outcome.TrySetResult(new ChatOutcome(0, error));
                }
                else if (outcome.Outcomes.Count != batch.Count)
                {
                    throw new InvalidOperationException($"system {systemId} answered {outcome.Outcomes.Count} outcome(s) for a batch of {batch.Count} chat lines");
                }
                else
                {
                    for (var i = 0; i < batch.Count; i++) batch[i].Outcome.TrySetResult(outcome.Outcomes[i]);
                }
            }
            catch (Exception e)
            {
                if (batch.Count > 1) owner._logger.LogWarning(e, "A batch of {Count} chat lines to system {SystemId} failed; each client is told to retry", batch.Count, systemId);
                span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                foreach (var w in batch) w.Outcome.TrySetException(e);
            }
            finally
            {
                span?.Dispose();
                Activity.Current = null;
            }
        }
    }
}
