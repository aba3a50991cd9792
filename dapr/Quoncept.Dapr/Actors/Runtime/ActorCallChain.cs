using System.Net;
using Quoncept.Dapr.Actors.Client;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// The actors whose turns the current async flow is inside. With reentrancy off, a call back into any of them
/// can only wait for itself; it fails at once instead of hanging until a timeout.
/// </summary>
internal static class ActorCallChain
{
    private static readonly AsyncLocal<Link?> Current = new();

    /// <summary>Marks the rest of this async flow (the turn) as running inside <paramref name="actorType"/>/<paramref name="actorId"/>.</summary>
    public static void Enter(string actorType, string actorId) => Current.Value = new Link(actorType, actorId, Current.Value);

    public static void ThrowIfReentrant(string actorType, string actorId, string methodName)
    {
        for (var link = Current.Value; link is not null; link = link.Parent)
        {
            if (link.ActorType == actorType && link.ActorId == actorId)
            {
                throw new ActorMethodInvocationException(
                    $"{actorType}/{actorId}.{methodName} was called from inside a turn of {actorType}/{actorId} (call chain: {Describe()} -> {actorType}/{actorId}); " +
                    "with reentrancy off that call would wait for itself forever.",
                    "ERR_ACTOR_REENTRANCY", HttpStatusCode.Conflict, actorType, actorId, methodName, remoteExceptionType: null);
            }
        }
    }

    private static string Describe()
    {
        var links = new List<string>();
        for (var link = Current.Value; link is not null; link = link.Parent)
        {
            links.Add($"{link.ActorType}/{link.ActorId}");
        }

        links.Reverse();
        return string.Join(" -> ", links);
    }

    private sealed record Link(string ActorType, string ActorId, Link? Parent);
}
