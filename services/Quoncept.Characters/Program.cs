using Quoncept.Characters.Catalog;
using Quoncept.Characters.Channels;
using Quoncept.Characters.Live;
using Quoncept.Characters.Social;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(AppIds.Characters);
builder.AddDataFile(ConfigKeys.CharactersFile, "characters.tsv", CharacterCatalog.Load, catalog => catalog.Count);
builder.Services.AddActors(o =>
{
    o.UseWireJson().Actors.RegisterActor<CharacterActor>();
    o.Actors.RegisterActor<SocialActor>();              // mailbox, kept direct messages, blocks, friends
    o.Actors.RegisterActor<ChannelActor>();             // world and group channels
    // Outbox retry reminders are rare, but a pub/sub outage gives every busy character one at once.
    o.RemindersStoragePartitions = 16;
});

var app = builder.Build();
app.MapServiceDefaults();
app.MapActorsHandlers();
app.MapPresence();                                      // POST /presence <- logins and logouts of topic "events"
app.RunService();
