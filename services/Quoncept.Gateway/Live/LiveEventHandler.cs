using Quoncept.Contracts;
using Quoncept.Gateway.Routing;

namespace Quoncept.Gateway.Live;

/// <summary>
/// Receives the live events (<see cref="Topics.LiveMatch"/>): every replica gets every one and
/// routes it to the connections it holds, if any.
/// </summary>
internal sealed class LiveEventHandler(LiveEventRouter router, Social.SocialRouter social, ILogger<LiveEventHandler> logger)
{
    /// <summary>Returns how many connections of this replica the event was queued to.</summary>
    public int Handle(UniverseEvent e)
    {
        switch (e)
        {
            case ChatsPosted batch:
                var queued = 0;
                foreach (var line in batch.Lines)
                {
                    if (line.ToProto() is { } message) queued += router.DeliverSystemEvent(line.SystemId, line.Sequence, line.Subject(), message);
                }
                return queued;
            case SystemEvent systemEvent when systemEvent.ToProto() is { } message:
                return router.DeliverSystemEvent(systemEvent.SystemId, systemEvent.Sequence, systemEvent.Subject(), message);
            case SessionEnded ended:
                var ours = router.EndSession(ended.SessionId, ended.ConnectionId, ended.Reason, SessionEndedMessage(ended.Reason));
                if (ours) logger.LogInformation("Session {SessionId} of {Username} ended ({Reason}); its stream is terminated", ended.SessionId, ended.Username, ended.Reason);
                return ours ? 1 : 0;
            default:
                return social.Deliver(e);
        }
    }

    private static string SessionEndedMessage(string reason) => reason == SessionEndReasons.Replaced
        ? "a newer session or connection of the same user took over"
        : $"the session ended ({reason})";
}
