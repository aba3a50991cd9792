using Quoncept.Contracts;
using Quoncept.Gateway;
using Quoncept.Gateway.Live;
using Quoncept.Grpc;
using Quoncept.ServiceDefaults.Hosting;
using Quoncept.V1;

var builder = WebApplication.CreateBuilder(args);
builder.ListenForClientsAndSidecar();                   // clients: h2c on --urls; sidecar: APP_PORT
builder.Services.AddGrpc();                             // our gRPC layer
builder.Services.AddGateway(builder.Configuration);     // tokens, actors, router, live events
builder.Services.AddQuonceptTracing(builder.Configuration, AppIds.Gateway); // W3C trace context, Zipkin/OTLP export

var app = builder.Build();
app.UseServerSpanTags();
app.UseCloudEvents();                                   // pub/sub deliveries arrive as CloudEvents
app.MapGrpcService<GatewayService>(GatewayReflection.Descriptor.Services[0]);
app.MapGrpcHealthService();                             // grpc.health.v1.Health
app.MapSubscribeHandler();                              // GET /dapr/subscribe
app.MapLiveEvents();                                    // POST /live <- live events of topic "events", one consumer per replica
app.MapGet("/dapr/config", () => Results.NotFound());   // hosts no actors (only calls them)
app.MapGet("/healthz", () => "ok");                     // liveness, for the sidecar's app health check
app.MapReadiness();                                     // GET /healthz/ready: every service reachable
app.Run();
