using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Hosting;
using Quoncept.Systems.Map;
using Quoncept.Systems.Presence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(AppIds.Systems);
builder.AddDataFile(ConfigKeys.SystemsFile, "systems.tsv", StarMap.Load, map => map.Count);
builder.Services.AddActors(o => o.UseWireJson().Actors.RegisterActor<SystemActor>());

var app = builder.Build();
app.MapServiceDefaults();
app.MapActorsHandlers();
app.RunService();
