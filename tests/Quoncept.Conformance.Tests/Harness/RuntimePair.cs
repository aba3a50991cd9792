using System.Globalization;
using Dapr;
using Dapr.Actors;
using Dapr.Actors.Client;
using Dapr.Client;
using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.Conformance.TestApp;
using Quoncept.Sidecar.Runner;
using DaprProto = Dapr.Client.Autogen.Grpc.v1;

namespace Quoncept.Conformance.Tests.Harness;

/// <summary>
/// The local runtime started as daprd would be (<c>--app-id --app-port --dapr-http-port --dapr-grpc-port
/// --resources-path</c>) and the SDK test app as a separate process beside it (<c>APP_PORT</c>,
/// <c>DAPR_HTTP_PORT</c>, <c>DAPR_GRPC_PORT</c>), both from this test's output folder on free 127.0.0.1 ports,
/// with their state in a temp folder. The app can be killed (SIGKILL) and started again; the runtime and the
/// store stay. The test talks to the runtime with the official <see cref="DaprClient"/> and actor proxies.
/// </summary>
public abstract class RuntimePair : IAsyncLifetime
{
    public const string ActorType = "LedgerActor";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "quoncept-conformance-" + Guid.NewGuid().ToString("N"));
    private readonly bool _jsonRemoting;
    private readonly int _reminderPartitions;
    private ChildProcess? _runtime;
    private ChildProcess? _app;
    private GrpcChannel? _protoChannel;

    protected RuntimePair(string appId, string? apiToken, string? appApiToken, bool jsonRemoting, int reminderPartitions)
    {
        AppId = appId;
        ApiToken = apiToken;
        AppApiToken = appApiToken;
        _jsonRemoting = jsonRemoting;
        _reminderPartitions = reminderPartitions;
    }

    public string AppId { get; }

    /// <summary>DAPR_API_TOKEN of both processes; null: the runtime requires none.</summary>
    public string? ApiToken { get; }

    /// <summary>APP_API_TOKEN of both processes: the runtime's calls into the app carry it, the app requires it.</summary>
    public string? AppApiToken { get; }

    public int AppPort { get; } = FreePort.Next();

    public int HttpPort { get; } = FreePort.Next();

    public int GrpcPort { get; } = FreePort.Next();

    public string HttpEndpoint => $"http://127.0.0.1:{HttpPort}";

    public string GrpcEndpoint => $"http://127.0.0.1:{GrpcPort}";

    /// <summary>A DaprClient with this pair's token (if any).</summary>
    public DaprClient Client { get; private set; } = null!;

    public IActorProxyFactory Proxies { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var resources = ComponentFiles.Write(_folder);
        var runtimeEnvironment = new Dictionary<string, string>();
        if (ApiToken is not null)
        {
            runtimeEnvironment["DAPR_API_TOKEN"] = ApiToken;
        }
        if (AppApiToken is not null)
        {
            runtimeEnvironment["APP_API_TOKEN"] = AppApiToken;
        }
        _runtime = ChildProcess.StartDotnet("local runtime", Path.Combine(AppContext.BaseDirectory, "Quoncept.Sidecar.dll"),
            ["--app-id", AppId, "--app-port", Port(AppPort), "--dapr-http-port", Port(HttpPort), "--dapr-grpc-port", Port(GrpcPort),
             "--resources-path", resources, "--log-level", "warn"],
            runtimeEnvironment);
        Client = CreateClient(ApiToken);
        Proxies = new ActorProxyFactory(ProxyOptions(ApiToken));
        _protoChannel = GrpcChannel.ForAddress(GrpcEndpoint);
        await StartAppAsync();
    }

    /// <summary>
    /// A DaprClient as an app builds one, on this pair's endpoints. The token is set explicitly (an empty one sends
    /// none), so a DAPR_API_TOKEN in the test's own environment never leaks in.
    /// </summary>
    public DaprClient CreateClient(string? apiToken) => new DaprClientBuilder()
        .UseHttpEndpoint(HttpEndpoint)
        .UseGrpcEndpoint(GrpcEndpoint)
        .UseDaprApiToken(apiToken ?? "")
        .UseTimeout(TimeSpan.FromSeconds(30))
        .Build();

    public ActorProxyOptions ProxyOptions(string? apiToken, bool useJsonSerialization = false) => new()
    {
        HttpEndpoint = HttpEndpoint,
        DaprApiToken = apiToken ?? "",
        RequestTimeout = TimeSpan.FromSeconds(30),
        UseJsonSerialization = useJsonSerialization,
    };

    /// <summary>
    /// Starts the app process and waits until the runtime routes actor calls to it and has read its subscriptions;
    /// returns the app's process id.
    /// </summary>
    public async Task<int> StartAppAsync()
    {
        _app?.Dispose();
        var environment = new Dictionary<string, string>
        {
            ["APP_PORT"] = Port(AppPort),
            ["DAPR_HTTP_PORT"] = Port(HttpPort),
            ["DAPR_GRPC_PORT"] = Port(GrpcPort),
            ["UseJsonSerialization"] = _jsonRemoting ? "true" : "false",
            ["RemindersStoragePartitions"] = Port(_reminderPartitions),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (ApiToken is not null)
        {
            environment["DAPR_API_TOKEN"] = ApiToken;
        }
        if (AppApiToken is not null)
        {
            environment["APP_API_TOKEN"] = AppApiToken;
        }
        _app = ChildProcess.StartDotnet("test app", Path.Combine(AppContext.BaseDirectory, "Quoncept.Conformance.TestApp.dll"), [], environment);

        var probe = Proxies.CreateActorProxy<ILedgerActor>(new ActorId("probe"), ActorType, ProxyOptions(ApiToken, _jsonRemoting));
        var deadline = DateTime.UtcNow + StartTimeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline && !_app.HasExited && !_runtime!.HasExited)
        {
            try
            {
                if (await probe.ProcessIdAsync() == _app.Id && await SubscribedAsync("ledger"))
                {
                    return _app.Id;
                }
            }
            catch (Exception error) when (error is DaprException or ActorMethodInvocationException or HttpRequestException or RpcException or OperationCanceledException)
            {
                last = error;
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException(
            $"The test app did not come up behind the local runtime within {StartTimeout.TotalSeconds}s (last error: {last?.Message}).\n{Diagnostics()}");
    }

    public void KillApp() => _app?.Kill();

    /// <summary>
    /// Dapr's own GetMetadata answer, through the generated client of the proto the runtime serves: the SDK's
    /// <see cref="DaprMetadata"/> leaves out the subscriptions.
    /// </summary>
    public async Task<DaprProto.GetMetadataResponse> GetProtoMetadataAsync()
    {
        var client = new DaprProto.Dapr.DaprClient(_protoChannel!);
        var headers = new Metadata();
        if (ApiToken is not null)
        {
            headers.Add("dapr-api-token", ApiToken);
        }
        return await client.GetMetadataAsync(new DaprProto.GetMetadataRequest(), headers, DateTime.UtcNow.AddSeconds(10));
    }

    public string Diagnostics() => $"{_runtime?.Tail()}\n{_app?.Tail()}";

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with both processes' output when it never does.</summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"Timed out waiting for: {what}\n{Diagnostics()}");
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _protoChannel?.Dispose();
        _app?.Dispose();
        _runtime?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A store file still closing; the temp folder is the OS's to clean.
        }
        return Task.CompletedTask;
    }

    private async Task<bool> SubscribedAsync(string topic) =>
        (await GetProtoMetadataAsync()).Subscriptions.Any(s => s.Topic == topic);

    private static string Port(int number) => number.ToString(CultureInfo.InvariantCulture);
}
