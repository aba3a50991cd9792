using System.Text.Json.Serialization;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.Characters.Live;

/// <summary>A character's saved live state; <see cref="SystemId"/> null means "still at home, never logged in".</summary>
internal sealed class CharacterState : IOutboxState
{
    public bool Online { get; set; }

    public string? SystemId { get; set; }

    public long LastSeenUnixMs { get; set; }

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public RequestLog<CharacterReply> Requests { get; set; } = new() { MaxEntries = 32 };

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
            case CharacterLoggedIn loggedIn:
                Online = true;
                SystemId = loggedIn.SystemId;
                LastSeenUnixMs = loggedIn.OccurredAtUnixMs;
                break;
            case CharacterLoggedOut loggedOut:
                Online = false;
                SystemId = loggedOut.SystemId;
                LastSeenUnixMs = loggedOut.OccurredAtUnixMs;
                break;
            case CharacterMoved moved:
                SystemId = moved.ToSystemId;
                LastSeenUnixMs = moved.OccurredAtUnixMs;
                break;
        }
    }
}
