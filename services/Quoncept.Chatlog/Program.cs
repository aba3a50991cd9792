using Quoncept.Chatlog.Api;
using Quoncept.Chatlog.Log;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(AppIds.Chatlog);
builder.Services.AddSingleton<ILogStore, DaprLogStore>();   // the state store, through the sidecar
builder.Services.AddSingleton<ChatLogWriter>();
builder.Services.AddSingleton<ChatLogReader>();

var app = builder.Build();
app.MapServiceDefaults();                                   // /health/live, /health/ready, /metrics, GET /dapr/subscribe
app.MapFirehose();                                          // POST /chat <- every line of topic "chat"
app.MapChatLogQuery();                                      // GET /chatlog?character=&channel=&from=&to=&limit=&cursor=
app.RunService();
