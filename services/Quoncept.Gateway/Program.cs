using Quoncept.Grpc;

// gRPC over HTTP/2 on the address given by --urls / ASPNETCORE_URLS (h2c on http://).
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseGrpcEndpointDefaults();
builder.Services.AddGrpc();

var app = builder.Build();
app.MapGrpcHealthService();
app.Run();
