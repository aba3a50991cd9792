using System.Text.Json.Serialization;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Characters.Social;

/// <summary>A character's saved social state. Mail and kept direct messages change only through <see cref="Apply"/> of their events.</summary>
internal sealed class SocialState : IOutboxState
{
    public bool Online { get; set; }

    /// <summary>When <see cref="Online"/> last changed; an older presence change is ignored.</summary>
    public long PresenceAtUnixMs { get; set; }

    public ulong DirectSequence { get; set; }

    /// <summary>Direct messages sent while offline, oldest first, until the next login takes them.</summary>
    public List<DirectMessageSent> Waiting { get; set; } = [];

    public ulong LastMailId { get; set; }

    public List<StoredMail> Mailbox { get; set; } = [];

    public List<string> Blocked { get; set; } = [];

    public List<string> Friends { get; set; } = [];

    public List<string> Channels { get; set; } = [];

    /// <summary>Direct messages and mail received, keyed by sender, connection and request id.</summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public RequestLog<SocialReply> Requests { get; set; } = new() { MaxEntries = 64 };

    public List<UniverseEvent> Outbox { get; set; } = [];

    public int Unread => Mailbox.Count(m => !m.Read);

    public void Record(UniverseEvent e)
    {
        Outbox.Add(e);
        Apply(e);
    }

    public void Apply(UniverseEvent e)
    {
        switch (e)
        {
            case DirectMessageSent direct:
                DirectSequence = direct.Sequence;
                if (!direct.Live) Waiting.Add(direct);
                break;
            case MailDelivered mail:
                LastMailId = mail.MailId;
                Mailbox.Add(new StoredMail
                {
                    MailId = mail.MailId,
                    FromCharacterId = mail.FromCharacterId,
                    FromName = mail.FromName,
                    Subject = mail.Subject,
                    Body = mail.Body,
                    SentAtUnixMs = mail.OccurredAtUnixMs,
                });
                break;
        }
    }
}

internal sealed class StoredMail
{
    public ulong MailId { get; set; }
    public string FromCharacterId { get; set; } = "";
    public string FromName { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public long SentAtUnixMs { get; set; }
    public bool Read { get; set; }

    public MailHeaderView Header() => new(MailId, FromCharacterId, FromName, Subject, SentAtUnixMs, Read);
}

/// <summary>The first answer to a direct message or mail, for a repeated request id.</summary>
internal sealed record SocialReply(string Kind, ulong Number, bool Live, Failure? Error);
