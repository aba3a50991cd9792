namespace Quoncept.Faults.Faults;

/// <summary>
/// Every player's ledger against the state, once the system is quiet: its character where it was last told it is
/// (Login and GetCharacter), present in that system's snapshot, and no acknowledged chat above the system's sequence.
/// </summary>
internal static class LedgerCheck
{
    public static async Task RunAsync(IReadOnlyList<ILedgerPlayer> players, FaultLedger ledger, CancellationToken hardStop)
    {
        var sequences = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var present = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var player in players)
        {
            var login = await player.FinalLoginAsync(hardStop).ConfigureAwait(false);
            if (login is null) continue;
            if (login.Character.SystemId != player.ExpectedSystemId)
            {
                ledger.Lost($"{player.Name} was last told it is in {player.ExpectedSystemId}, its character is in {login.Character.SystemId}");
            }
            var system = login.System.System.Id;
            sequences[system] = Math.Max(sequences.GetValueOrDefault(system), login.System.Sequence);
            present[system] = login.System.Present.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            var looked = await player.LookUpAsync(hardStop).ConfigureAwait(false);
            if (looked is not null && (looked.SystemId != player.ExpectedSystemId || !looked.Online))
            {
                ledger.Lost($"GetCharacter({player.CharacterId}) says {looked.SystemId}, online {looked.Online}; {player.Name} was told {player.ExpectedSystemId}, online");
            }
        }
        foreach (var player in players)
        {
            if (present.TryGetValue(player.ExpectedSystemId, out var here) && !here.Contains(player.CharacterId))
            {
                ledger.Lost($"{player.Name} is not among those present in {player.ExpectedSystemId}");
            }
        }
        foreach (var (system, highest) in ledger.HighestAckedChat())
        {
            if (sequences.TryGetValue(system, out var current) && current < highest)
            {
                ledger.Lost($"a chat was acknowledged as {system}#{highest}, the system is at #{current}");
            }
        }
    }
}
