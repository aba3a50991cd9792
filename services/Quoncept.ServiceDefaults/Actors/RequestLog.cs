using System.Text.Json.Serialization;

namespace Quoncept.ServiceDefaults.Actors;

/// <summary>
/// The most recent client requests an actor applied, each with its first answer, so that a
/// repeated (connection id, request id) gets that answer again instead of a second effect.
/// Bounded: the oldest entry goes when <see cref="MaxEntries"/> is reached. Part of the actor's
/// saved state, so the guarantee survives the actor being moved or its process restarting.
/// </summary>
public sealed class RequestLog<TReply>
{
    public const int DefaultMaxEntries = 128;

    /// <summary>
    /// Set where an actor type creates its state, and not saved: the code's bound applies to
    /// state saved under another bound. The owning state marks its log
    /// <c>[JsonObjectCreationHandling(Populate)]</c> so that loading fills the log it created.
    /// </summary>
    [JsonIgnore]
    public int MaxEntries { get; set; } = DefaultMaxEntries;

    /// <summary>Oldest first. Public for JSON state serialization.</summary>
    public List<RequestLogEntry<TReply>> Entries { get; set; } = [];

    public static string Key(string connectionId, string requestId) => connectionId + "\u001f" + requestId;

    public bool TryGet(string key, out TReply? reply)
    {
        for (var i = Entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(Entries[i].Key, key, StringComparison.Ordinal))
            {
                reply = Entries[i].Reply;
                return true;
            }
        }

        reply = default;
        return false;
    }

    public void Remember(string key, TReply reply)
    {
        if (Entries.Count >= Math.Max(1, MaxEntries))
        {
            Entries.RemoveRange(0, Entries.Count - Math.Max(1, MaxEntries) + 1);
        }

        Entries.Add(new RequestLogEntry<TReply>(key, reply));
    }
}

public sealed record RequestLogEntry<TReply>(string Key, TReply Reply);
