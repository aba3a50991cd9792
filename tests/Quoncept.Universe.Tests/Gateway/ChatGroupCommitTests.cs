using Dapr.Actors;
using Dapr.Actors.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Quoncept.Contracts;
using Quoncept.Gateway;
using Quoncept.Gateway.Streams;

namespace Quoncept.Universe.Tests.Gateway;

/// <summary>The gateway's group commit of chat lines, against a system actor that answers when the test says.</summary>
public sealed class ChatGroupCommitTests
{
    private readonly HeldSystem _system = new();

    private ChatGroupCommit NewCommit() =>
        new(new ActorDirectory(new OneSystemProxies(_system)), Options.Create(new GatewayOptions()), NullLogger<ChatGroupCommit>.Instance);

    private static ChatCommand Line(int i) => new($"r{i}", $"conn-{i}", $"c{i}", $"line {i}");

    /// <summary>A group commit whose first line ("line 0") is in flight, held by the actor until <see cref="HeldSystem.Release"/>.</summary>
    private async Task<(ChatGroupCommit Commit, Task<ChatOutcome> First)> SayOneAndHoldItAsync()
    {
        var commit = NewCommit();
        var first = commit.SayAsync("s1", Line(0));
        await _system.Called.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return (commit, first);
    }

    [Fact]
    public async Task SayAsync_LinesSaidWhileACallIsInFlight_GoTogetherInTheNextCallInOrder()
    {
        var (commit, first) = await SayOneAndHoldItAsync();
        var queued = Enumerable.Range(1, 3).Select(i => commit.SayAsync("s1", Line(i))).ToList();

        _system.Release();
        var outcomes = await Task.WhenAll(queued.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([["line 0"], ["line 1", "line 2", "line 3"]], _system.Calls.Select(c => c.Select(l => l.Text).ToArray()));
        Assert.Equal([1UL, 2UL, 3UL, 4UL], outcomes.Select(o => o.Sequence));
    }

    [Fact]
    public async Task SayAsync_MoreQueuedThanABatchHolds_SentInBatchesOfAtMostTheLimit()
    {
        var (commit, first) = await SayOneAndHoldItAsync();
        var queued = Enumerable.Range(1, ChatLimits.MaxBatch + 5).Select(i => commit.SayAsync("s1", Line(i))).ToList();

        _system.Release();
        await Task.WhenAll(queued.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, ChatLimits.MaxBatch, 5], _system.Calls.Select(c => c.Count));
    }

    [Fact]
    public async Task SayAsync_BatchCallFails_EveryLineOfItFailsAndTheNextLineIsSentAgain()
    {
        var (commit, first) = await SayOneAndHoldItAsync();
        var queued = Enumerable.Range(1, 2).Select(i => commit.SayAsync("s1", Line(i))).ToList();
        _system.FailBatches = true;

        _system.Release();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var line in queued) await Assert.ThrowsAsync<HttpRequestException>(() => line.WaitAsync(TimeSpan.FromSeconds(10)));

        _system.FailBatches = false;
        Assert.Equal(2UL, (await commit.SayAsync("s1", Line(3)).WaitAsync(TimeSpan.FromSeconds(10))).Sequence);
    }

    [Fact]
    public async Task SayAsync_WholeBatchRefused_EachLineGetsTheRefusal()
    {
        var (commit, first) = await SayOneAndHoldItAsync();
        var queued = Enumerable.Range(1, 2).Select(i => commit.SayAsync("s1", Line(i))).ToList();
        _system.RefuseBatches = new Failure(FailureCode.NotFound, "no system 's1'");

        _system.Release();
        var refused = await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(refused, o => Assert.Equal((0UL, FailureCode.NotFound), (o.Sequence, o.Error!.Code)));
    }

    /// <summary>A system actor whose calls wait for <see cref="Release"/>; it numbers lines from 1.</summary>
    private sealed class HeldSystem : ISystemActor
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ulong _sequence;

        public System.Threading.Channels.Channel<bool> Called { get; } = System.Threading.Channels.Channel.CreateUnbounded<bool>();

        public List<IReadOnlyList<ChatCommand>> Calls { get; } = [];

        public bool FailBatches { get; set; }

        public Failure? RefuseBatches { get; set; }

        public void Release() => _released.TrySetResult();

        public Task<ChatOutcome> ChatAsync(ChatCommand request) => throw new NotSupportedException("the gateway sends every line as a ChatBatch");

        public async Task<ChatBatchOutcome> ChatBatchAsync(ChatBatch request)
        {
            // As the test had set it when the call was made: the held first call is not affected by what follows.
            var (fail, refusal) = (FailBatches, RefuseBatches);
            Calls.Add(request.Lines);
            Called.Writer.TryWrite(true);
            await _released.Task;
            if (fail) throw new HttpRequestException("the sidecar is gone");
            if (refusal is not null) return new ChatBatchOutcome([], refusal);
            return new ChatBatchOutcome([.. request.Lines.Select(_ => new ChatOutcome(++_sequence, null))], null);
        }

        public Task<SystemLookup> GetInfoAsync() => throw new NotSupportedException();

        public Task<SnapshotOutcome> GetSnapshotAsync() => throw new NotSupportedException();

        public Task<SnapshotOutcome> EnterAsync(EnterSystem request) => throw new NotSupportedException();

        public Task<LeaveOutcome> LeaveAsync(LeaveSystem request) => throw new NotSupportedException();
    }

    private sealed class OneSystemProxies(ISystemActor system) : IActorProxyFactory
    {
        public TActorInterface CreateActorProxy<TActorInterface>(ActorId actorId, string actorType, ActorProxyOptions? options = null)
            where TActorInterface : IActor => (TActorInterface)system;

        public object CreateActorProxy(ActorId actorId, Type actorInterfaceType, string actorType, ActorProxyOptions? options = null) => system;

        public ActorProxy Create(ActorId actorId, string actorType, ActorProxyOptions? options = null) => throw new NotSupportedException();
    }
}
