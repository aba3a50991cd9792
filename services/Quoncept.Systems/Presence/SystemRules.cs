using System.Globalization;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Systems.Presence;

/// <summary>
/// The decisions of a system: each checks the request against the state, and on success
/// records the event (with the system's next sequence number) into the state's outbox and
/// applies it. Saving and publishing are the actor's job, in that order.
/// </summary>
internal static class SystemRules
{
    public static SnapshotOutcome Enter(SystemInfoView info, SystemState state, EnterSystem request, long now)
    {
        if (request.Character is null || string.IsNullOrEmpty(request.Character.Id))
        {
            return new SnapshotOutcome(null, new Failure(FailureCode.InvalidArgument, "enter needs a character"));
        }

        if (request.FromSystemId is not null && !info.Neighbours.Any(n => n.Id == request.FromSystemId))
        {
            return new SnapshotOutcome(null, new Failure(FailureCode.FailedPrecondition, $"no jump lane from {request.FromSystemId} to {info.Id}"));
        }

        if (!state.Present.ContainsKey(request.Character.Id))
        {
            var character = request.Character with { SystemId = info.Id, Online = true };
            state.Record(new CharacterArrived(info.Id, state.NextSequence, character, request.FromSystemId)
            {
                EventId = EventId(info.Id, state.NextSequence),
                OccurredAtUnixMs = now,
            });
        }

        return new SnapshotOutcome(state.Snapshot(info), null);
    }

    public static LeaveOutcome Leave(SystemInfoView info, SystemState state, LeaveSystem request, long now)
    {
        if (request.ToSystemId is not null && !info.Neighbours.Any(n => n.Id == request.ToSystemId))
        {
            return new LeaveOutcome(false, new Failure(FailureCode.FailedPrecondition, $"no jump lane from {info.Name} ({info.Id}) to {request.ToSystemId}"));
        }

        if (!state.Present.TryGetValue(request.CharacterId ?? string.Empty, out var character))
        {
            return new LeaveOutcome(false, null);
        }

        state.Record(new CharacterDeparted(info.Id, state.NextSequence, character.Id, character.Name, request.ToSystemId, request.Reason)
        {
            EventId = EventId(info.Id, state.NextSequence),
            OccurredAtUnixMs = now,
        });
        return new LeaveOutcome(true, null);
    }

    public static ChatOutcome Chat(SystemInfoView info, SystemState state, ChatCommand request, long now) =>
        ChatBatch(info, state, [request], now)[0];

    /// <summary>
    /// Judges each line as if alone, in order (a repeat of an earlier request, in this batch or before, gets that
    /// request's first answer), then records the new lines as one event: ChatPosted for one, ChatsPosted for more.
    /// </summary>
    public static IReadOnlyList<ChatOutcome> ChatBatch(SystemInfoView info, SystemState state, IReadOnlyList<ChatCommand?> requests, long now)
    {
        var outcomes = new ChatOutcome[requests.Count];
        var lines = new List<ChatPosted>();
        for (var i = 0; i < requests.Count; i++)
        {
            outcomes[i] = Judge(info, state, requests[i], lines, now);
        }

        if (lines.Count == 1)
        {
            state.Record(lines[0]);
        }
        else if (lines.Count > 1)
        {
            var (first, last) = (lines[0].Sequence, lines[^1].Sequence);
            state.Record(new ChatsPosted(info.Id, last, lines)
            {
                EventId = EventId(info.Id, first) + ".." + last.ToString(CultureInfo.InvariantCulture),
                OccurredAtUnixMs = now,
            });
        }

        return outcomes;
    }

    private static ChatOutcome Judge(SystemInfoView info, SystemState state, ChatCommand? request, List<ChatPosted> lines, long now)
    {
        if (request is null)
        {
            return new ChatOutcome(0, RequestIds.MissingRequest);
        }

        if (RequestIds.Check(request.RequestId, request.ConnectionId) is { } invalid)
        {
            return new ChatOutcome(0, invalid);
        }

        var key = RequestLog<ChatOutcome>.Key(request.ConnectionId, request.RequestId);
        if (state.Chats.TryGet(key, out var first))
        {
            return first!;
        }

        var outcome = Decide(info, state, request, lines, now);
        state.Chats.Remember(key, outcome);
        return outcome;
    }

    private static ChatOutcome Decide(SystemInfoView info, SystemState state, ChatCommand request, List<ChatPosted> lines, long now)
    {
        var text = request.Text ?? string.Empty;
        if (text.Length == 0 || text.Length > ChatLimits.MaxTextLength || string.IsNullOrWhiteSpace(text))
        {
            return new ChatOutcome(0, new Failure(FailureCode.InvalidArgument, $"chat text must be 1..{ChatLimits.MaxTextLength} characters and not blank"));
        }

        if (!state.Present.TryGetValue(request.CharacterId ?? string.Empty, out var speaker))
        {
            return new ChatOutcome(0, new Failure(FailureCode.FailedPrecondition, $"{request.CharacterId} is not in {info.Name} ({info.Id})"));
        }

        // Recorded after the whole batch is judged, so the numbers run on from the lines judged before this one.
        var sequence = state.NextSequence + (ulong)lines.Count;
        lines.Add(new ChatPosted(info.Id, sequence, speaker.Id, speaker.Name, text)
        {
            EventId = EventId(info.Id, sequence),
            OccurredAtUnixMs = now,
        });
        return new ChatOutcome(sequence, null);
    }

    private static string EventId(string systemId, ulong sequence) => systemId + ":" + sequence.ToString(CultureInfo.InvariantCulture);
}
