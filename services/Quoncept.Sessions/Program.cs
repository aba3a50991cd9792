using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Hosting;
using Quoncept.ServiceDefaults.Options;
using Quoncept.Sessions.Api;
using Quoncept.Sessions.Directory;
using Quoncept.Sessions.Sessions;
using Quoncept.Sessions.Tokens;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(AppIds.Sessions);
builder.AddDataFile(ConfigKeys.UsersFile, "users.tsv", UserDirectory.Load, users => users.Count);
SessionPolicy.Register(builder.Services, builder.Configuration);
SessionTokenOptions.Register(builder.Services, builder.Configuration);
builder.Services.AddSingleton<SessionTokenIssuer>();
builder.Services.AddActors(o =>
{
    o.UseWireJson().Actors.RegisterActor<SessionActor>();
    // One grace reminder per disconnected user (~100k): 64 partitions keep a change to one ~1/64 array rewrite.
    o.RemindersStoragePartitions = 64;
});

var app = builder.Build();
app.MapServiceDefaults();
app.MapActorsHandlers();
app.MapOpenSession();
app.RunService();
