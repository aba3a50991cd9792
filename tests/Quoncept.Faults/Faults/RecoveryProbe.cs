using System.Diagnostics;
using Grpc.Core;
using Quoncept.Client;

namespace Quoncept.Faults.Faults;

/// <summary>
/// After a kill, asks through whichever gateway answers until the killed service's actors serve again:
/// <c>sessions</c> (CreateSession of a probe user: the sessions app and its SessionActor), <c>characters</c>
/// (GetCharacter: a CharacterActor), <c>systems</c> (GetSystem: a SystemActor).
/// </summary>
internal sealed class RecoveryProbe(IReadOnlyList<QuonceptClient> gateways, string probeUser, string characterId, string systemId)
{
    public static readonly string[] Kinds = ["sessions", "characters", "systems"];
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    /// <summary>Time from <paramref name="since"/> until every kind answered once; null for a kind that did not within <paramref name="timeout"/>.</summary>
    public async Task<Dictionary<string, TimeSpan?>> UntilServedAsync(IEnumerable<string> kinds, long since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tasks = kinds.ToDictionary(k => k, k => UntilServedAsync(k, since, timeout, cancellationToken), StringComparer.Ordinal);
        await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        return tasks.ToDictionary(t => t.Key, t => t.Value.Result, StringComparer.Ordinal);
    }

    private async Task<TimeSpan?> UntilServedAsync(string kind, long since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (Stopwatch.GetElapsedTime(since) < timeout)
        {
            var gateway = gateways[attempt++ % gateways.Count];
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await (kind switch
                {
                    "sessions" => (Task)gateway.CreateSessionAsync(probeUser, deadline.Token),
                    "characters" => gateway.GetCharacterAsync(characterId, deadline.Token),
                    _ => gateway.GetSystemAsync(systemId, deadline.Token),
                }).ConfigureAwait(false);
                return Stopwatch.GetElapsedTime(since);
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
            }
        }
        return null;
    }
}
