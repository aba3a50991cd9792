using Quoncept.Sidecar.Tests.Harness.Servers;

namespace Quoncept.Sidecar.Tests.Servers;

/// <summary>One real redis-server shared by a test class; tests use keys and topics of their own.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    internal RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    internal static string StateComponent(string host, string extraMetadata = "") => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
        spec:
          type: state.redis
          version: v1
          metadata:
            - name: redisHost
              value: "{host}"
            - name: actorStateStore
              value: "true"
        {extraMetadata}
        """;

    internal static string PubSubComponent(string host, string extraMetadata = "") => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.redis
          version: v1
          metadata:
            - name: redisHost
              value: "{host}"
        {extraMetadata}
        """;
}
