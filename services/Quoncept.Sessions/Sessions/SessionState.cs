using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Sessions.Sessions;

/// <summary>
/// A user's saved session state: the current session, the connection that holds it, and when
/// its grace period ends (0 = no grace running). Changed only by <see cref="Apply"/>.
/// </summary>
internal sealed class SessionState : IOutboxState
{
    public string? SessionId { get; set; }

    public string? CharacterId { get; set; }

    public string? ConnectionId { get; set; }

    public string? GatewayId { get; set; }

    public bool Attached { get; set; }

    public long GraceEndsAtUnixMs { get; set; }

    /// <summary>How many times the session was attached (a new connection or a resume): the number of the current attachment.</summary>
    public long Attachments { get; set; }

    public List<UniverseEvent> Outbox { get; set; } = [];

    public void Record(UniverseEvent e)
    {
        Outbox.Add(e);
        Apply(e);
    }

    public void Apply(UniverseEvent e)
    {
        switch (e)
        {
            case SessionStarted started:
                SessionId = started.SessionId;
                CharacterId = started.CharacterId;
                ConnectionId = null;
                GatewayId = null;
                Attached = false;
                GraceEndsAtUnixMs = 0;
                break;
            case SessionAttached attached:
                ConnectionId = attached.ConnectionId;
                GatewayId = attached.GatewayId;
                Attached = true;
                GraceEndsAtUnixMs = 0;
                Attachments++;
                break;
            case SessionDetached detached:
                Attached = false;
                GraceEndsAtUnixMs = detached.GraceEndsAtUnixMs;
                break;
            case SessionGraceExpired:
                GraceEndsAtUnixMs = 0;
                break;
        }
    }

    public SessionStatus Status() => new(SessionId, ConnectionId, GatewayId, Attached, GraceEndsAtUnixMs);
}
