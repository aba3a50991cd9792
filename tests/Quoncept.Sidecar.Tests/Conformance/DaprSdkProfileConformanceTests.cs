using Quoncept.Sidecar.Tests.Harness;
using Quoncept.Sidecar.Tests.Harness.Servers;
using Quoncept.Sidecar.Tests.Servers;

namespace Quoncept.Sidecar.Tests.Conformance;

/// <summary>
/// The official @dapr/dapr JS SDK, unmodified, against the runtime on each real-server profile's component
/// types (components/redis, components/nats, components/postgres): state.redis + pubsub.redis, state.redis +
/// pubsub.jetstream, state.postgresql. Every case starts its own fresh servers, so no scenario sees another's
/// keys, stream entries or rows.
/// </summary>
public sealed class DaprSdkProfileConformanceTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        // What each profile's components add (the embedded default runs every scenario in DaprSdkConformanceTests).
        foreach (var scenario in new[] { "state-etag", "state-transaction", "subscribe", "subscribe-retry-deadletter", "grpc" }) cases.Add("redis", "conformance.mjs", scenario);
        foreach (var scenario in new[] { "subscribe", "subscribe-bulk", "subscribe-retry-deadletter" }) cases.Add("nats", "conformance.mjs", scenario);
        foreach (var scenario in new[] { "state-etag", "state-transaction" }) cases.Add("postgres", "conformance.mjs", scenario);
        cases.Add("redis", "actors.mjs", "actor-reminder");
        cases.Add("postgres", "actors.mjs", "actor-state");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DaprJsSdk_ScenarioOnProfile_Passes(string profile, string script, string scenario)
    {
        await using var servers = new Servers();
        var components = profile switch
        {
            "redis" => RedisFixture.StateComponent((servers.Redis = await RedisServer.StartAsync()).Host) + "---\n" + RedisFixture.PubSubComponent(servers.Redis.Host),
            "nats" => RedisFixture.StateComponent((servers.Redis = await RedisServer.StartAsync()).Host) + "---\n" + JetStreamPubSub(servers.Nats = await NatsServer.StartAsync()),
            "postgres" => PostgresState(servers.Postgres = await PostgresServer.StartAsync()) + InMemoryPubSub,
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "no such profile"),
        };

        var (exitCode, output) = await NodeConformance.RunAsync(scenario, script, script == "actors.mjs" ? "actors-conformance" : "conformance", components: components);

        Assert.True(exitCode == 0, $"scenario {scenario} on profile {profile} failed (exit {exitCode}):\n{output}");
        Assert.Contains($"PASS {scenario}", output, StringComparison.Ordinal);
    }

    // The conformance scripts' topics; JetStream needs a stream holding them (daprd expects it to exist).
    private static string JetStreamPubSub(NatsServer nats) => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.jetstream
          version: v1
          metadata:
            - name: natsURL
              value: "{nats.Url}"
            - name: streamName
              value: "conformance"
            - name: createStreamSubjects
              value: "orders,items,bulk-orders,flaky,flaky-dead,grpc-orders"
            - name: deliverPolicy
              value: "all"
        """;

    private static string PostgresState(PostgresServer postgres) => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
        spec:
          type: state.postgresql
          version: v1
          metadata:
            - name: connectionString
              value: "{postgres.ConnectionString}"
            - name: actorStateStore
              value: "true"
        ---

        """;

    private const string InMemoryPubSub = """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.in-memory
          version: v1
        """;

    private sealed class Servers : IAsyncDisposable
    {
        public RedisServer? Redis { get; set; }
        public NatsServer? Nats { get; set; }
        public PostgresServer? Postgres { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Redis is not null) await Redis.DisposeAsync();
            if (Nats is not null) await Nats.DisposeAsync();
            if (Postgres is not null) await Postgres.DisposeAsync();
        }
    }
}
