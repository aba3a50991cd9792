using Quoncept.Contracts;
using Dapr.Actors;
using Dapr.Actors.Runtime;
using Quoncept.ServiceDefaults.Actors;
using Quoncept.Systems.Map;

namespace Quoncept.Systems.Presence;

/// <summary>
/// One star system (actor id = system id): static info from the star map, presence, and the
/// system's live events, each with the next sequence number. See <see cref="ISystemActor"/>.
/// Its state is saved under several keys so that a turn writes only what it changed (the SDK's
/// state manager saves the changed keys, in one transaction): "state" (<see cref="SystemHead"/>:
/// sequence and outbox, every turn), <see cref="PresenceKey"/> (arrivals and departures only) and
/// one <see cref="ChatRing"/> slot per chat turn. A chat line's write does not grow with the crowd, and a gateway's
/// batch of lines (<see cref="ChatBatchAsync"/>) is one turn: one save and one event for all of them.
/// </summary>
[Actor(TypeName = ActorTypes.System)]
internal sealed class SystemActor(ActorHost host, StarMap map, EventPublisher publisher, TimeProvider clock)
    : OutboxActor<SystemHead>(host, publisher, clock), ISystemActor
{
    public const string PresenceKey = "presence";

    // The chat slots read in this activation. Valid while the state manager still caches the same
    // head: a failed turn clears that cache (and so any slot it changed but did not save).
    private ChatRing? _chats;
    private SystemHead? _chatsHead;

    public Task<SystemLookup> GetInfoAsync() =>
        Task.FromResult(map.TryGetView(Id.GetId(), out var info) ? new SystemLookup(info, null) : new SystemLookup(null, UnknownSystem()));

    public async Task<SnapshotOutcome> GetSnapshotAsync()
    {
        if (!map.TryGetView(Id.GetId(), out var info))
        {
            return new SnapshotOutcome(null, UnknownSystem());
        }

        var state = await LoadSystemAsync(withChats: false);
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

        var state = await LoadSystemAsync(withChats: false);
        var recorded = state.Outbox.Count;
        var outcome = SystemRules.Enter(info, state, request, NowUnixMs);
        if (state.Outbox.Count != recorded)
        {
            await SaveAsync(state);
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

        var state = await LoadSystemAsync(withChats: false);
        var outcome = SystemRules.Leave(info, state, request, NowUnixMs);
        if (outcome.WasPresent)
        {
            await SaveAsync(state);
        }

        return outcome;
    }

    public async Task<ChatOutcome> ChatAsync(ChatCommand request)
    {
        if (request is null)
        {
            return new ChatOutcome(0, RequestIds.MissingRequest);
        }

        var outcome = await ChatBatchAsync(new ChatBatch([request]));
        return outcome.Error is { } error ? new ChatOutcome(0, error) : outcome.Outcomes[0];
    }

    public async Task<ChatBatchOutcome> ChatBatchAsync(ChatBatch request)
    {
        if (request?.Lines is not { Count: > 0 } lines)
        {
            return new ChatBatchOutcome([], RequestIds.MissingRequest);
        }

        if (lines.Count > ChatLimits.MaxBatch)
        {
            return new ChatBatchOutcome([], new Failure(FailureCode.InvalidArgument, $"a chat batch holds at most {ChatLimits.MaxBatch} lines, this one {lines.Count}"));
        }

        if (!map.TryGetView(Id.GetId(), out var info))
        {
            return new ChatBatchOutcome([], UnknownSystem());
        }

        var state = await LoadSystemAsync(withChats: true);
        await ReadChatSlotsAsync(state.Chats, lines);
        var outcomes = SystemRules.ChatBatch(info, state, lines, NowUnixMs);
        // Only repeats and malformed requests leave nothing to remember; every line judged anew is saved, refusals too.
        if (state.Chats.HasUnsaved)
        {
            await SaveAsync(state);
        }

        return new ChatBatchOutcome(outcomes, null);
    }

    private async Task<SystemState> LoadSystemAsync(bool withChats)
    {
        var head = await LoadAsync();
        var saved = await StateManager.TryGetStateAsync<Dictionary<string, CharacterView>>(PresenceKey);
        var present = saved.HasValue ? saved.Value : head.LegacyPresent;
        ChatRing? chats = null;
        if (withChats)
        {
            if (!ReferenceEquals(_chatsHead, head)) (_chats, _chatsHead) = (new ChatRing(head), head);
            chats = _chats;
        }

        var state = new SystemState(head, present, chats);
        if (!saved.HasValue && present is not null) state.MarkPresenceChanged();
        return state;
    }

    /// <summary>Reads the remembered chat slots that may hold one of these requests (few at light load), one at a time: the SDK's state manager takes one read at a time.</summary>
    private async Task ReadChatSlotsAsync(ChatRing chats, IEnumerable<ChatCommand?> lines)
    {
        var keys = lines.Where(l => l is not null && RequestIds.Check(l.RequestId, l.ConnectionId) is null)
            .Select(l => RequestLog<ChatOutcome>.Key(l!.ConnectionId, l.RequestId));
        foreach (var slot in chats.SlotsToRead(keys))
        {
            var entries = await StateManager.TryGetStateAsync<List<RequestLogEntry<ChatOutcome>>>(ChatRing.SlotKey(slot));
            chats.Load(slot, entries.HasValue ? entries.Value : null);
        }
    }

    /// <summary>Stages the parts of the state that changed, then saves them with the head and publishes.</summary>
    private async Task SaveAsync(SystemState state)
    {
        if (state.PresenceChanged)
        {
            await StateManager.SetStateAsync(PresenceKey, state.Present);
            state.Head.LegacyPresent = null;
            state.MarkPresenceSaved();
        }

        foreach (var (key, entries) in state.Chats.TakeChanges())
        {
            await StateManager.SetStateAsync(key, entries);
        }

        await CommitAsync(state.Head);
    }

    protected override Task OnReminderAsync(string reminderName, byte[] state) => Task.CompletedTask;

    private Failure UnknownSystem() => new(FailureCode.NotFound, $"no system '{Id.GetId()}'");
}
