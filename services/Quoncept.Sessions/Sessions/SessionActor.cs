using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quoncept.Contracts;
using Dapr.Actors;
using Dapr.Actors.Runtime;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Sessions.Sessions;

/// <summary>
/// One user's session (actor id = username). See <see cref="ISessionActor"/> and <see cref="SessionRules"/>.
/// The grace period is a reminder named <see cref="GraceReminder"/>: it fires after the grace
/// period and then every <see cref="SessionPolicy.GraceRetryPeriod"/> until the character is
/// logged out, so a failed logout is retried; attaching again removes it.
/// </summary>
[Actor(TypeName = ActorTypes.Session)]
internal sealed class SessionActor(ActorHost host, IOptions<SessionPolicy> options, EventPublisher publisher, TimeProvider clock)
    : OutboxActor<SessionState>(host, publisher, clock), ISessionActor
{
    private readonly SessionPolicy policy = options.Value;

    public const string GraceReminder = "grace";

    private string Username => Id.GetId();

    public async Task<SessionStartOutcome> StartAsync(StartSession request)
    {
        if (string.IsNullOrEmpty(request?.CharacterId))
        {
            throw new ArgumentException("StartSession needs the user's character id", nameof(request));
        }

        var state = await LoadAsync();
        var (outcome, graceStarted) = SessionRules.Start(state, Username, request, Guid.NewGuid().ToString("N"), NowUnixMs, policy.GracePeriod);
        await CommitAsync(state);
        if (graceStarted)
        {
            await RegisterGraceAsync();
        }

        return outcome;
    }

    public async Task<AttachOutcome> AttachAsync(AttachSession request)
    {
        if (request is null)
        {
            return new AttachOutcome(AttachKind.Rejected, string.Empty, RequestIds.MissingRequest);
        }

        var state = await LoadAsync();
        var (outcome, graceCancelled) = SessionRules.Attach(state, Username, request, NowUnixMs);
        if (outcome.Kind == AttachKind.Rejected)
        {
            return outcome;
        }

        await CommitAsync(state);
        if (graceCancelled)
        {
            await UnregisterGraceAsync();
        }

        return outcome;
    }

    public async Task<DetachOutcome> DetachAsync(DetachSession request)
    {
        if (request is null)
        {
            return new DetachOutcome(false, 0);
        }

        var state = await LoadAsync();
        var outcome = SessionRules.Detach(state, Username, request, NowUnixMs, policy.GracePeriod);
        if (outcome.GraceStarted)
        {
            await CommitAsync(state);
            await RegisterGraceAsync();
        }

        return outcome;
    }

    public async Task<SessionStatus> GetStatusAsync() => (await LoadAsync()).Status();

    protected override async Task OnReminderAsync(string reminderName, byte[] reminderState)
    {
        if (reminderName != GraceReminder)
        {
            return;
        }

        var state = await LoadAsync();
        if (state.GraceEndsAtUnixMs == 0 || state.Attached)
        {
            await UnregisterReminderAsync(GraceReminder);
            return;
        }

        if (!SessionRules.IsGraceOver(state, NowUnixMs))
        {
            return;
        }

        // Log out first: if that fails this throws, nothing is saved, and the reminder fires again.
        var character = ProxyFactory.CreateActorProxy<ICharacterActor>(new ActorId(state.CharacterId!), ActorTypes.Character);
        var logout = await character.LogoutAsync(new LogoutCommand($"grace-{state.SessionId}-{state.GraceEndsAtUnixMs}", "session-grace", DepartureReasons.Timeout));
        if (logout.Error is not null)
        {
            Logger.LogWarning("Grace expired for {Username} but logging out {CharacterId} failed: {Message}", Username, state.CharacterId, logout.Error.Message);
        }

        SessionRules.GraceExpired(state, Username, NowUnixMs);
        await CommitAsync(state);
        await UnregisterGraceAsync();
    }

    // The grace reminder follows the saved state, so it is changed only once the state is saved: a reminder left
    // behind by a failed save would expire a session that the store says is attached, or the opposite.
    private Task RegisterGraceAsync() => RegisterReminderAsync(GraceReminder, null, policy.GracePeriod, SessionPolicy.GraceRetryPeriod);

    private Task UnregisterGraceAsync() => UnregisterReminderAsync(GraceReminder);
}
