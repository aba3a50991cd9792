using Quoncept.Characters.Catalog;
using Quoncept.Characters.Live;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(AppIds.Characters);
builder.AddDataFile(ConfigKeys.CharactersFile, "characters.tsv", CharacterCatalog.Load, catalog => catalog.Count);
builder.Services.AddActors(o => o.Actors.Register<CharacterActor>());

var app = builder.Build();
app.MapServiceDefaults();
app.MapActorsHandlers();
app.Run();
