using Dapr.Client;
using Grpc.Net.Client;
using Quoncept.Sidecar.Apps;
using DaprGrpc = Dapr.Client.Autogen.Grpc.v1.Dapr;

namespace Quoncept.Sidecar.Tests.Harness;

/// <summary>
/// Clients of an app instance's sidecar as apps build them: the official SDK's <see cref="DaprClient"/>
/// (gRPC for state, publish and metadata, HTTP for invocation and health), and the generated gRPC client
/// of Dapr.Protos for calls the SDK cannot make (an entry id used twice, an HTTP verb on InvokeService).
/// Their gRPC channels leave trace context to the SDK's own metadata (see <see cref="TestHttp"/>).
/// </summary>
internal static class SdkClients
{
    public static DaprClient Dapr(AppInstance instance, string? apiToken = null)
    {
        var builder = new DaprClientBuilder()
            .UseGrpcEndpoint($"http://127.0.0.1:{instance.SidecarGrpcPort}")
            .UseHttpEndpoint($"http://127.0.0.1:{instance.SidecarHttpPort}")
            .UseGrpcChannelOptions(new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { ActivityHeadersPropagator = null } })
            .UseTimeout(TimeSpan.FromSeconds(30));
        if (apiToken is not null)
        {
            builder.UseDaprApiToken(apiToken);
        }
        return builder.Build();
    }

    public static GrpcChannel Channel(AppInstance instance) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{instance.SidecarGrpcPort}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ActivityHeadersPropagator = null },
        });

    public static DaprGrpc.DaprClient Generated(GrpcChannel channel) => new(channel);
}
