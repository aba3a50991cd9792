using Quoncept.Contracts;
using Quoncept.Gateway;
using Quoncept.Gateway.Browser;
using Quoncept.Gateway.Live;
using Quoncept.Gateway.Social;
using Quoncept.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.ListenForClientsAndSidecar();                   // clients: h2c on --urls; browsers: WebPort; sidecar: APP_PORT
builder.AddServiceDefaults(AppIds.Gateway, waitForSidecar: false); // serves without one: UNAVAILABLE, readiness says why
builder.Services.AddGrpc();
builder.Services.AddGrpcReflection();
builder.Services.AddGateway(builder.Configuration);     // options, tokens, actor proxies, router, health
builder.Services.AddBrowser(builder.Configuration);     // origins, frame limits, the page's folder

var app = builder.Build();
app.MapBrowser();                                       // WebSocket /ws, gRPC-Web, the page (client/web)
app.MapGrpcService<GatewayService>().EnableGrpcWeb();   // quoncept.v1.Gateway; its unary calls as gRPC-Web too
app.MapGrpcHealthChecksService();                       // grpc.health.v1.Health: "" live, "quoncept.v1.Gateway" ready
app.MapGrpcReflectionService();
app.MapServiceDefaults();                               // /health/live, /health/ready, GET /dapr/subscribe
app.MapLiveEvents();                                    // POST /live <- live events of topic "events", one consumer per replica
app.MapChatEvents();                                    // POST /live/chat <- every line of topic "chat", one consumer per replica
app.MapGet("/healthz", () => "ok");                     // liveness, for the sidecar's app health check
Readiness.MapReadiness(app);                            // GET /healthz/ready: every service reachable
app.RunService();
