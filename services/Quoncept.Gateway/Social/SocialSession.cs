using Quoncept.V1;

namespace Quoncept.Gateway.Social;

/// <summary>
/// The social side of one logged-in connection: its character's name, the group channels it is in
/// here, whom it follows, and what to queue right after the current answer. Touched by the
/// connection's read loop and, for the dedup marks, by event delivery (under the session's lock).
/// </summary>
internal sealed class SocialSession(string characterName)
{
    public Lock Gate { get; } = new();

    public string CharacterName { get; } = characterName;

    public HashSet<string> Channels { get; } = new(StringComparer.Ordinal);

    /// <summary>Followed character id → name.</summary>
    public Dictionary<string, string> Friends { get; } = new(StringComparer.Ordinal);

    /// <summary>Highest direct message number and mail id delivered, to drop redeliveries.</summary>
    public ulong LastDirect { get; set; }

    public ulong LastMail { get; set; }

    /// <summary>Per followed character, the time of the last presence change delivered (older ones are dropped).</summary>
    public Dictionary<string, long> PresenceAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Run by the read loop after the answer to the current request is queued.</summary>
    public List<Action> AfterAnswer { get; } = [];
}
