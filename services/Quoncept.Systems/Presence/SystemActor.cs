using Quoncept.Contracts;
using Dapr.Actors;
using Dapr.Actors.Runtime;
using Quoncept.ServiceDefaults.Actors;
using Quoncept.Systems.Map;

namespace Quoncept.Systems.Presence;

/// <summary>
/// One star system (actor id = system id): static info from the star map, presence, and the
/// system's live events, each with the next sequence number. See <see cref="ISystemActor"/>.
/// </summary>
[Actor(TypeName = ActorTypes.System)]
internal sealed class SystemActor(ActorHost host, StarMap map, EventPublisher publisher, TimeProvider clock)
    : OutboxActor<SystemState>(host, publisher, clock), ISystemActor
{
    public Task<SystemLookup> GetInfoAsync() =>
        Task.FromResult(map.TryGetView(Id.GetId(), out var info) ? new SystemLookup(info, null) : new SystemLookup(null, UnknownSystem()));

    public async Task<SnapshotOutcome> GetSnapshotAsync()
    {
        if (!map.TryGetView(Id.GetId(), out var info))
        {
            return new SnapshotOutcome(null, UnknownSystem());
        }

        var state = await LoadAsync();
        return new SnapshotOutcome(state.Snapshot(info), null);
    }

    public async Task<SnapshotOutcome> EnterAsync(EnterSystem request)
    {
        if (request is null)
        {
            return new SnapshotOutcome(null, RequestIds.MissingRequest);
        }

        if (!map.TryGetView(Id.GetId(), out var info))
        {
            return new SnapshotOutcome(null, UnknownSystem());
        }

        var state = await LoadAsync();
        var recorded = state.Outbox.Count;
        var outcome = SystemRules.Enter(info, state, request, NowUnixMs);
        if (state.Outbox.Count != recorded)
        {
            await CommitAsync(state);
        }

        return outcome;
    }

    public async Task<LeaveOutcome> LeaveAsync(LeaveSystem request)
    {
        if (request is null)
        {
            return new LeaveOutcome(false, RequestIds.MissingRequest);
        }

        if (!map.TryGetView(Id.GetId(), out var info))
        {
            return new LeaveOutcome(false, UnknownSystem());
        }

        var state = await LoadAsync();
        var outcome = SystemRules.Leave(info, state, request, NowUnixMs);
        if (outcome.WasPresent)
        {
            await CommitAsync(state);
        }

        return outcome;
    }

    public async Task<ChatOutcome> ChatAsync(ChatCommand request)
    {
        if (request is null)
        {
            return new ChatOutcome(0, RequestIds.MissingRequest);
        }

        if (!map.TryGetView(Id.GetId(), out var info))
        {
            return new ChatOutcome(0, UnknownSystem());
        }

        var state = await LoadAsync();
        var repeatOrInvalid = RequestIds.Check(request.RequestId, request.ConnectionId) is not null
            || state.Chats.TryGet(RequestLog<ChatOutcome>.Key(request.ConnectionId, request.RequestId), out _);
        var outcome = SystemRules.Chat(info, state, request, NowUnixMs);
        if (!repeatOrInvalid)
        {
            await CommitAsync(state);
        }

        return outcome;
    }

    protected override Task OnReminderAsync(string reminderName, byte[] state) => Task.CompletedTask;

    private Failure UnknownSystem() => new(FailureCode.NotFound, $"no system '{Id.GetId()}'");
}
