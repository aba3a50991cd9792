using Dapr.Actors;

namespace Quoncept.Contracts;

/// <summary>
/// One per character (actor id = character id), type <see cref="ActorTypes.Character"/>, hosted by
/// the characters app. Static info from the characters data file; live state online / system /
/// last seen. Unknown character id: every method answers Error.Code = NotFound.
/// </summary>
public interface ICharacterActor : IActor
{
    Task<CharacterLookup> GetAsync();

    /// <summary>Online in the current system (CharacterArrived there, FromSystemId null).</summary>
    Task<LoginOutcome> LoginAsync(LoginCommand request);

    /// <summary>Offline (CharacterDeparted, reason logout/timeout). Logging out an offline character changes nothing.</summary>
    Task<LogoutOutcome> LogoutAsync(LogoutCommand request);

    /// <summary>Along a jump lane only (else FailedPrecondition); must be online (else FailedPrecondition).</summary>
    Task<MoveOutcome> MoveAsync(MoveCommand request);
}
