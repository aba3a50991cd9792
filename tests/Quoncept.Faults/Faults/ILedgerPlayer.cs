using Quoncept.V1;

namespace Quoncept.Faults.Faults;

/// <summary>What <see cref="LedgerCheck"/> needs of a player once the faults are over: what it was told, and the state now.</summary>
internal interface ILedgerPlayer
{
    string Name { get; }

    string CharacterId { get; }

    /// <summary>The system its character is in by the last acknowledged answer.</summary>
    string ExpectedSystemId { get; }

    /// <summary>One more Login (answers the character and its system's current snapshot); null when it could not be answered.</summary>
    Task<LoginResult?> FinalLoginAsync(CancellationToken hardStop);

    Task<Character?> LookUpAsync(CancellationToken hardStop);
}
