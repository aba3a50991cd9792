using Quoncept.Client;
using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>
/// The metrics an operator watches, read back through a real Prometheus that scraped the running universe:
/// each counter moved by exactly what the test did, and two processes that see the same thing agree.
/// In the universe collection, so that its own universe never runs beside the shared one's load-sensitive tests.
/// </summary>
[Collection(UniverseCollection.Name)]
public sealed class PrometheusMetricsTests(MetricsUniverse metrics) : IClassFixture<MetricsUniverse>
{
    private readonly UniverseFixture _universe = metrics.Universe;
    private PrometheusServer Prometheus => metrics.Prometheus;

    [Fact]
    public async Task Prometheus_LoginsAndChats_CountersMoveByWhatWasDone()
    {
        var users = _universe.Users.TakeGroup(3);
        string[] loginQueries =
        [
            """sum(quoncept_gateway_request_duration_seconds_count{quoncept_message_type="login"})""",
            """sum(dapr_actor_call_duration_seconds_count{job="runtime",dapr_actor_type="CharacterActor",dapr_actor_method="LoginAsync"})""",
            """sum(quoncept_actor_call_duration_seconds_count{app="characters",dapr_actor_type="CharacterActor",dapr_actor_method="LoginAsync"})""",
            """sum(dapr_actor_activations_total{job="runtime",dapr_actor_type="CharacterActor"})""",
            """sum(quoncept_actor_activations_total{app="characters",dapr_actor_type="CharacterActor"})""",
            """sum(quoncept_gateway_streams_active)""",
        ];
        var before = await ReadAsync(loginQueries);

        var connections = new List<QuonceptConnection>();
        try
        {
            foreach (var (user, i) in users.Select((u, i) => (u.Username, i)))
            {
                var gateway = i < 2 ? _universe.A : _universe.B;
                var session = (await gateway.CreateSessionAsync(user)).Value;
                var connection = await gateway.ConnectAsync(session);
                connections.Add(connection);
                await connection.LoginAsync();
            }
            // Everyone has seen everyone arrive: the logins' events are all out before the chat counts are read.
            await connections[0].NextAsync(e => e.Arrived?.Character.Id == users[2].CharacterId, "the third arrival");
            await connections[1].NextAsync(e => e.Arrived?.Character.Id == users[2].CharacterId, "the third arrival");

            // 3 logins: 3 requests at the gateways, 3 actor calls seen by the runtime and by the characters app,
            // 3 fresh characters activated (runtime and app agree), 3 streams open.
            await ExpectAsync(loginQueries, before, [3, 3, 3, 3, 3, 3]);

            string[] chatQueries =
            [
                """sum(quoncept_gateway_messages_received_total{quoncept_message_type="chat"})""",
                """sum(dapr_actor_call_duration_seconds_count{job="runtime",dapr_actor_type="SystemActor",dapr_actor_method="ChatBatchAsync"})""",
                """sum(quoncept_actor_call_duration_seconds_count{app="systems",dapr_actor_type="SystemActor",dapr_actor_method="ChatBatchAsync"})""",
                """sum(quoncept_actor_state_save_duration_seconds_count{app="systems",dapr_actor_type="SystemActor"})""",
                """sum(messaging_client_sent_messages_total{app="systems",messaging_destination_name="events"})""",
                """sum(messaging_client_sent_messages_total{job="runtime",messaging_destination_name="events"})""",
                """sum(messaging_client_consumed_messages_total{app="gateway-1",quoncept_event_type="ChatPosted"})""",
                """sum(messaging_client_consumed_messages_total{app="gateway-2",quoncept_event_type="ChatPosted"})""",
                """sum(messaging_client_consumed_messages_total{job="runtime",dapr_app_id="gateway",dapr_delivery_outcome="success"})""",
                """sum(quoncept_gateway_fanout_messages_total)""",
                """sum(quoncept_gateway_messages_sent_total{quoncept_message_type="chat_message"})""",
            ];
            const string storeTransactions = """sum(db_client_operation_duration_seconds_count{job="runtime",db_operation_name="transaction"})""";
            // The logins' own live events (arrivals, presence) may still be on their way to streams: the fan-out count
            // settles before the chat's figures are taken.
            await Prometheus.SettledAsync("sum(quoncept_gateway_fanout_messages_total)", TimeSpan.FromSeconds(2.5));
            var beforeChat = await ReadAsync(chatQueries);
            var transactionsBefore = await Prometheus.QueryAsync(storeTransactions);
            await connections[0].ChatAsync("metrics one");
            await connections[2].ChatAsync("metrics two");
            foreach (var connection in connections)
            {
                await connection.NextAsync(e => e.Chat?.Text == "metrics two", "the second chat line");
            }

            // 2 chats: 2 requests, 2 actor calls (runtime and app), 2 saves, 2 events published (app and runtime agree),
            // each gateway replica got both (every replica every event: 4 deliveries), and each line went to the 3
            // connections in the system.
            await ExpectAsync(chatQueries, beforeChat, [2, 2, 2, 2, 2, 2, 2, 2, 4, 6, 6]);
            // The 2 saves are 2 store transactions; the chat log commits its own for each line too, from the firehose
            // and in its own time, so the store's count moves by at least 2.
            var transactions = await Prometheus.AtLeastAsync(storeTransactions, transactionsBefore + 2);
            Assert.True(transactions - transactionsBefore >= 2, $"{storeTransactions}: moved by {transactions - transactionsBefore}, expected at least 2");
            Assert.Equal(0, await Prometheus.EventuallyAsync("sum(quoncept_gateway_outbound_queued)", 0));
        }
        finally
        {
            foreach (var connection in connections) await connection.DisposeAsync();
        }
        // The streams are gone again.
        Assert.Equal(before[^1], await Prometheus.EventuallyAsync("sum(quoncept_gateway_streams_active)", before[^1]));
    }

    [Fact]
    public async Task Prometheus_EveryProcess_ExportsRuntimeAndRequestMetrics()
    {
        // .NET runtime metrics (OpenTelemetry.Instrumentation.Runtime) from every app and the runtime, ASP.NET Core's request metrics from every app.
        Assert.Equal(metrics.TargetCount, await Prometheus.EventuallyAsync("count(count by (app) (dotnet_gc_collections_total))", metrics.TargetCount));
        Assert.Equal(metrics.TargetCount, await Prometheus.EventuallyAsync("count(count by (app) (dotnet_process_memory_working_set_bytes))", metrics.TargetCount));
        Assert.Equal(metrics.TargetCount, await Prometheus.EventuallyAsync("sum(up)", metrics.TargetCount));
    }

    private async Task<double[]> ReadAsync(string[] queries)
    {
        var values = new double[queries.Length];
        for (var i = 0; i < queries.Length; i++) values[i] = await Prometheus.QueryAsync(queries[i]);
        return values;
    }

    private async Task ExpectAsync(string[] queries, double[] before, double[] deltas)
    {
        var failures = new List<string>();
        for (var i = 0; i < queries.Length; i++)
        {
            var value = await Prometheus.EventuallyAsync(queries[i], before[i] + deltas[i]);
            if (Math.Abs(value - before[i] - deltas[i]) > 1e-9) failures.Add($"{queries[i]}: moved by {value - before[i]}, expected {deltas[i]}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + _universe.Log[^Math.Min(_universe.Log.Length, 4000)..]);
    }
}
