using System.Text.Json.Serialization;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Characters.Channels;

/// <summary>A channel's saved state; changed only through <see cref="Apply"/> of its events.</summary>
internal sealed class ChannelState : IOutboxState
{
    public const string Created = "created";
    public const string Joined = "joined";
    public const string Left = "left";
    public const string Invited = "invited";

    public bool Exists { get; set; }

    public bool Private { get; set; }

    public string OwnerId { get; set; } = "";

    public List<string> Members { get; set; } = [];

    public List<string> Invitations { get; set; } = [];

    public ulong Sequence { get; set; }

    /// <summary>The latest messages, oldest first (at most <see cref="SocialLimits.HistoryKept"/>).</summary>
    public List<ChannelMessagePosted> History { get; set; } = [];

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public RequestLog<ChannelSayOutcome> Says { get; set; } = new() { MaxEntries = 64 };

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
            case ChannelMessagePosted posted:
                Sequence = posted.Sequence;
                History.Add(posted);
                if (History.Count > SocialLimits.HistoryKept) History.RemoveRange(0, History.Count - SocialLimits.HistoryKept);
                break;
            case ChannelMembershipChanged { Change: Created } created:
                Exists = true;
                OwnerId = created.CharacterId;
                Members.Add(created.CharacterId);
                break;
            case ChannelMembershipChanged { Change: Joined } joined:
                Members.Add(joined.CharacterId);
                Invitations.Remove(joined.CharacterId);
                break;
            case ChannelMembershipChanged { Change: Left } left:
                Members.Remove(left.CharacterId);
                break;
            case ChannelMembershipChanged { Change: Invited } invited:
                Invitations.Add(invited.CharacterId);
                break;
        }
    }
}
