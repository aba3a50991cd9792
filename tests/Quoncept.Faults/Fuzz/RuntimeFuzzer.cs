using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;

namespace Quoncept.Faults.Fuzz;

/// <summary>
/// Random bodies to the local runtime's Dapr APIs, as an app behind it would send them: the HTTP API (state,
/// publish, bulk publish, invoke, actors, reminders, metadata, unknown paths; random bytes, random JSON,
/// JSON of the wrong shape, odd content types) and the gRPC API (random bytes as the request of every
/// method but Shutdown). Every refusal must be daprd's: an HTTP error with a JSON <c>errorCode</c>, or a
/// gRPC status other than UNKNOWN/INTERNAL-without-a-message.
/// </summary>
internal sealed class RuntimeFuzzer(int httpPort, int grpcPort, FuzzOutcomes outcomes, Random random) : IDisposable
{
    private const string DaprService = "dapr.proto.runtime.v1.Dapr";
    private static readonly string[] GrpcMethods =
    [
        "GetState", "GetBulkState", "SaveState", "DeleteState", "DeleteBulkState", "ExecuteStateTransaction", "PublishEvent",
        "BulkPublishEvent", "BulkPublishEventAlpha1", "InvokeService", "GetMetadata", "SetMetadata", "InvokeBinding", "GetSecret",
    ];

    private static readonly string[] ActorTypes = ["CharacterActor", "SystemActor", "SessionActor", "NoSuchActor"];
    private readonly Inputs _inputs = new(random);
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = GatewayFuzzer.InputTimeout };
    private readonly GrpcChannel _grpc = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");

    public async Task OneAsync(CancellationToken cancellationToken)
    {
        if (random.Next(3) == 0) await GrpcAsync(cancellationToken).ConfigureAwait(false);
        else await HttpAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _http.Dispose();
        _grpc.Dispose();
    }

    private async Task HttpAsync(CancellationToken cancellationToken)
    {
        var id = Uri.EscapeDataString(_inputs.Text(random.Next(1, 20)));
        var path = random.Next(12) switch
        {
            0 => "v1.0/state/statestore",
            1 => $"v1.0/state/statestore/{id}",
            2 => "v1.0/state/statestore/transaction",
            3 => "v1.0/state/statestore/bulk",
            4 => $"v1.0/publish/pubsub/{(random.Next(2) == 0 ? "events" : id)}",
            5 => "v1.0-alpha1/publish/bulk/pubsub/events",
            6 => $"v1.0/invoke/{(random.Next(2) == 0 ? "sessions" : id)}/method/{(random.Next(2) == 0 ? "sessions" : id)}",
            7 => $"v1.0/actors/{ActorTypes[random.Next(ActorTypes.Length)]}/{id}/method/{(random.Next(2) == 0 ? "GetAsync" : id)}",
            8 => $"v1.0/actors/{ActorTypes[random.Next(ActorTypes.Length)]}/{id}/{(random.Next(2) == 0 ? "reminders" : "timers")}/{id}",
            9 => $"v1.0/actors/{ActorTypes[random.Next(ActorTypes.Length)]}/{id}/state",
            10 => $"v1.0/metadata/{id}",
            _ => $"{id}/{_inputs.Text(5)}",
        };
        var method = random.Next(5) switch { 0 => HttpMethod.Get, 1 => HttpMethod.Put, 2 => HttpMethod.Delete, _ => HttpMethod.Post };
        using var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(Body());
            request.Content.Headers.ContentType = random.Next(4) switch
            {
                0 => new MediaTypeHeaderValue("application/octet-stream"),
                1 => new MediaTypeHeaderValue("text/plain"),
                2 => new MediaTypeHeaderValue("application/cloudevents+json"),
                _ => new MediaTypeHeaderValue("application/json"),
            };
        }
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            outcomes.Record("runtime:http", $"HTTP {code}");
            // Service invocation hands back the app's own answer, whatever it is; everything else is the runtime's.
            // Kestrel itself refuses a target whose path decodes to a NUL character (a bare 400 that closes the connection)
            // before any of the runtime's code runs; that refusal is the HTTP server's, not the runtime's.
            var refusedByKestrel = code == 400 && path.Contains("%00", StringComparison.OrdinalIgnoreCase) && response.Headers.ConnectionClose == true;
            if (code >= 400 && !refusedByKestrel && !path.StartsWith("v1.0/invoke/", StringComparison.Ordinal) && !await IsDaprErrorAsync(response, cancellationToken).ConfigureAwait(false))
            {
                outcomes.Violation($"runtime:http {method} /{path}: HTTP {code} without a Dapr error body");
            }
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcomes.Record("runtime:http", "hang");
            outcomes.Violation($"runtime:http {method} /{path}: no answer within {GatewayFuzzer.InputTimeout.TotalSeconds:0} s (hang)");
        }
        catch (HttpRequestException e)
        {
            outcomes.Record("runtime:http", "connection failed");
            outcomes.Violation($"runtime:http {method} /{path}: {e.Message}");
        }
    }

    private byte[] Body() => random.Next(5) switch
    {
        0 => _inputs.RandomBytes(256),
        1 => Encoding.UTF8.GetBytes(RandomJson(3)),
        2 => Encoding.UTF8.GetBytes($$"""[{"key":{{RandomJson(1)}},"value":{{RandomJson(2)}},"etag":{{RandomJson(0)}},"options":{{RandomJson(1)}}}]"""),
        3 => Encoding.UTF8.GetBytes($$"""{"operations":[{"operation":{{RandomJson(0)}},"request":{{RandomJson(2)}}}],"dueTime":{{RandomJson(0)}},"period":{{RandomJson(0)}}}"""),
        _ => [],
    };

    private string RandomJson(int depth) => random.Next(depth > 0 ? 8 : 5) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => random.NextInt64(long.MinValue, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => JsonSerializer.Serialize(_inputs.Text(random.Next(0, 30))),
        4 => JsonSerializer.Serialize(random.Next(2) == 0 ? "1h" : "-5s"),
        5 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(depth - 1))) + "]",
        _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => $"{JsonSerializer.Serialize(_inputs.Text(random.Next(1, 8)))}:{RandomJson(depth - 1)}")) + "}",
    };

    private async Task GrpcAsync(CancellationToken cancellationToken)
    {
        var method = GrpcMethods[random.Next(GrpcMethods.Length)];
        using var call = _grpc.CreateCallInvoker().AsyncUnaryCall(RawGrpc.Unary(DaprService, method), null,
            new CallOptions(deadline: DateTime.UtcNow + GatewayFuzzer.InputTimeout, cancellationToken: cancellationToken), _inputs.RandomBytes(200));
        try
        {
            await call.ResponseAsync.ConfigureAwait(false);
            outcomes.Record("runtime:grpc", "status OK");
        }
        catch (RpcException e)
        {
            outcomes.Record("runtime:grpc", $"status {e.StatusCode}");
            if (e.StatusCode == StatusCode.DeadlineExceeded) outcomes.Violation($"runtime:grpc {method}: no answer within {GatewayFuzzer.InputTimeout.TotalSeconds:0} s (hang)");
            else if (e.StatusCode == StatusCode.Internal && string.IsNullOrWhiteSpace(e.Status.Detail)) outcomes.Violation($"runtime:grpc {method}: INTERNAL without a message");
            // UNKNOWN is daprd's code for an invoked app's HTTP error (e.g. 500): only there, and with a message.
            else if (e.StatusCode == StatusCode.Unknown && (method != "InvokeService" || string.IsNullOrWhiteSpace(e.Status.Detail))) outcomes.Violation($"runtime:grpc {method}: UNKNOWN \"{e.Status.Detail}\"");
        }
    }

    private static async Task<bool> IsDaprErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("errorCode", out var code) && code.GetString() is { Length: > 0 }
                && body.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 };
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
