using Quoncept.Characters.Catalog;
using Quoncept.Contracts;
using Dapr.Actors;
using Dapr.Actors.Runtime;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Characters.Live;

/// <summary>
/// One character (actor id = character id): static info from the catalog, live state, and the
/// calls to the systems it enters and leaves. See <see cref="ICharacterActor"/>.
/// Cross-actor order: the system changes first (its own save and publish), then this actor
/// records and saves its event. A failure in between leaves the character's saved state as
/// it was and the request unremembered; repeating the request completes it, because Enter and
/// Leave are idempotent.
/// </summary>
[Actor(TypeName = ActorTypes.Character)]
internal sealed class CharacterActor(ActorHost host, CharacterCatalog catalog, EventPublisher publisher, TimeProvider clock)
    : OutboxActor<CharacterState>(host, publisher, clock), ICharacterActor
{
    private const string LoginKind = "login";
    private const string LogoutKind = "logout";
    private const string MoveKind = "move";

    public async Task<CharacterLookup> GetAsync()
    {
        if (!catalog.TryGet(Id.GetId(), out var record))
        {
            return new CharacterLookup(null, UnknownCharacter());
        }

        return new CharacterLookup(View(record, await LoadAsync()), null);
    }

    public async Task<LoginOutcome> LoginAsync(LoginCommand request)
    {
        var (record, state, repeat, failure) = await BeginAsync(request?.RequestId, request?.ConnectionId, LoginKind);
        if (failure is not null)
        {
            return new LoginOutcome(null, null, failure);
        }

        if (repeat is not null)
        {
            return new LoginOutcome(repeat.Character, repeat.Error is null ? await SnapshotAsync(repeat.Character!.SystemId) : null, repeat.Error);
        }

        var systemId = state.SystemId ?? record!.HomeSystemId;
        var now = NowUnixMs;
        var entered = await System(systemId).EnterAsync(new EnterSystem(View(record!, state) with { SystemId = systemId, Online = true, LastSeenUnixMs = now }, null));
        if (entered.Error?.Code == FailureCode.NotFound && systemId != record!.HomeSystemId)
        {
            // The system it was last in is gone from the star map: it starts again at home.
            systemId = record.HomeSystemId;
            entered = await System(systemId).EnterAsync(new EnterSystem(View(record, state) with { SystemId = systemId, Online = true, LastSeenUnixMs = now }, null));
        }
        if (entered.Error is null && !state.Online)
        {
            state.Record(new CharacterLoggedIn(record!.Id, systemId) { EventId = NewEventId(), OccurredAtUnixMs = now });
        }

        var character = entered.Error is null ? View(record!, state) : null;
        await FinishAsync(state, request!.ConnectionId, request.RequestId, new CharacterReply(LoginKind, character, entered.Error));
        return new LoginOutcome(character, entered.Snapshot, entered.Error);
    }

    public async Task<LogoutOutcome> LogoutAsync(LogoutCommand request)
    {
        var (record, state, repeat, failure) = await BeginAsync(request?.RequestId, request?.ConnectionId, LogoutKind);
        if (failure is not null || repeat is not null)
        {
            return new LogoutOutcome(repeat?.Character, failure ?? repeat!.Error);
        }

        if (request!.Reason is not (DepartureReasons.Logout or DepartureReasons.Timeout))
        {
            return new LogoutOutcome(null, new Failure(FailureCode.InvalidArgument, $"logout reason must be '{DepartureReasons.Logout}' or '{DepartureReasons.Timeout}'"));
        }

        Failure? error = null;
        if (state.Online)
        {
            var systemId = state.SystemId ?? record!.HomeSystemId;
            var left = await System(systemId).LeaveAsync(new LeaveSystem(record!.Id, null, request.Reason));
            error = left.Error;
            if (error is null)
            {
                state.Record(new CharacterLoggedOut(record.Id, systemId, request.Reason) { EventId = NewEventId(), OccurredAtUnixMs = NowUnixMs });
            }
        }

        var character = error is null ? View(record!, state) : null;
        await FinishAsync(state, request.ConnectionId, request.RequestId, new CharacterReply(LogoutKind, character, error));
        return new LogoutOutcome(character, error);
    }

    public async Task<MoveOutcome> MoveAsync(MoveCommand request)
    {
        var (record, state, repeat, failure) = await BeginAsync(request?.RequestId, request?.ConnectionId, MoveKind);
        if (failure is not null)
        {
            return new MoveOutcome(null, null, failure);
        }

        if (repeat is not null)
        {
            return new MoveOutcome(repeat.Character, repeat.Error is null ? await SnapshotAsync(repeat.Character!.SystemId) : null, repeat.Error);
        }

        var (snapshot, error) = await JumpAsync(record!, state, request!.ToSystemId);
        var character = error is null ? View(record!, state) : null;
        await FinishAsync(state, request!.ConnectionId, request.RequestId, new CharacterReply(MoveKind, character, error));
        return new MoveOutcome(character, snapshot, error);
    }

    protected override Task OnReminderAsync(string reminderName, byte[] state) => Task.CompletedTask;

    private async Task<(SystemSnapshotView? Snapshot, Failure? Error)> JumpAsync(CharacterRecord record, CharacterState state, string? to)
    {
        if (string.IsNullOrEmpty(to) || to.Length > RequestIds.MaxLength)
        {
            return (null, new Failure(FailureCode.InvalidArgument, "move needs a destination system id"));
        }

        var from = state.SystemId ?? record.HomeSystemId;
        if (!state.Online)
        {
            return (null, new Failure(FailureCode.FailedPrecondition, "log in before moving"));
        }

        if (to == from)
        {
            return (null, new Failure(FailureCode.FailedPrecondition, $"already in {from}"));
        }

        // The system we leave knows its lanes: a non-neighbour is refused there, with nothing changed.
        var left = await System(from).LeaveAsync(new LeaveSystem(record.Id, to, DepartureReasons.Moved));
        if (left.Error is not null)
        {
            return (null, left.Error);
        }

        var now = NowUnixMs;
        var entered = await System(to).EnterAsync(new EnterSystem(View(record, state) with { SystemId = to, LastSeenUnixMs = now }, from));
        if (entered.Error is not null)
        {
            throw new InvalidOperationException($"{record.Id} left {from} but {to} refused the arrival: {entered.Error.Message}");
        }

        state.Record(new CharacterMoved(record.Id, from, to) { EventId = NewEventId(), OccurredAtUnixMs = now });
        return (entered.Snapshot, null);
    }

    /// <summary>Validates the ids, loads the state, and finds a repeated request.</summary>
    private async Task<(CharacterRecord? Record, CharacterState State, CharacterReply? Repeat, Failure? Failure)> BeginAsync(string? requestId, string? connectionId, string kind)
    {
        var state = await LoadAsync();
        if (!catalog.TryGet(Id.GetId(), out var record))
        {
            return (null, state, null, UnknownCharacter());
        }

        if (RequestIds.Check(requestId, connectionId) is { } invalid)
        {
            return (record, state, null, invalid);
        }

        if (state.Requests.TryGet(RequestLog<CharacterReply>.Key(connectionId!, requestId!), out var first))
        {
            return first!.Kind == kind
                ? (record, state, first, null)
                : (record, state, null, new Failure(FailureCode.AlreadyExists, $"request id '{requestId}' was already used for a {first.Kind}"));
        }

        return (record, state, null, null);
    }

    private Task FinishAsync(CharacterState state, string connectionId, string requestId, CharacterReply reply)
    {
        state.Requests.Remember(RequestLog<CharacterReply>.Key(connectionId, requestId), reply);
        return CommitAsync(state);
    }

    private async Task<SystemSnapshotView?> SnapshotAsync(string systemId) => (await System(systemId).GetSnapshotAsync()).Snapshot;

    private ISystemActor System(string systemId) => ProxyFactory.CreateActorProxy<ISystemActor>(new ActorId(systemId), ActorTypes.System);

    private static CharacterView View(CharacterRecord record, CharacterState state) =>
        new(record.Id, record.Name, state.SystemId ?? record.HomeSystemId, state.Online, state.LastSeenUnixMs);

    private static string NewEventId() => Guid.NewGuid().ToString("N");

    private Failure UnknownCharacter() => new(FailureCode.NotFound, $"no character '{Id.GetId()}'");
}
