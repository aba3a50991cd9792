using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.V1;

namespace Quoncept.Client;

/// <summary>
/// A client of one gateway: sessions, lookups, and live connections. Thread-safe; one per
/// gateway address is enough for any number of connections (they share the HTTP/2 connection pool).
/// </summary>
public sealed class QuonceptClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Gateway.GatewayClient _gateway;

    public QuonceptClient(Uri gateway, HttpMessageHandler? handler = null)
    {
        _channel = GrpcChannel.ForAddress(gateway, new GrpcChannelOptions { HttpHandler = handler ?? DefaultHandler() });
        _gateway = new Gateway.GatewayClient(_channel);
        Address = gateway;
    }

    public Uri Address { get; }

    /// <summary>Send CreateSession with a sampled trace context (see <see cref="ClientTracing"/>); streams take <see cref="ConnectionOptions.Trace"/>.</summary>
    public bool Trace { get; set; }

    internal Gateway.GatewayClient Stub => _gateway;

    /// <summary>Opens a session for <paramref name="username"/>; an unknown user is an RpcException NOT_FOUND.</summary>
    public async Task<Answer<CreateSessionResponse>> CreateSessionAsync(string username, CancellationToken cancellationToken = default)
    {
        var (span, traceParent, traceState) = ClientTracing.Start("quoncept.v1.Gateway/CreateSession", Trace);
        using var sessionSpan = span;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var response = await _gateway.CreateSessionAsync(new CreateSessionRequest { Username = username },
            Options(cancellationToken).WithHeaders(ClientTracing.Headers(traceParent, traceState)!)).ConfigureAwait(false);
        return new(response, System.Diagnostics.Stopwatch.GetElapsedTime(started)) { TraceId = ClientTracing.TraceIdOf(traceParent) };
    }

    public async Task<Character> GetCharacterAsync(string characterId, CancellationToken cancellationToken = default)
    {
        return await _gateway.GetCharacterAsync(new GetCharacterRequest { CharacterId = characterId }, Options(cancellationToken)).ConfigureAwait(false);
    }

    public async Task<SystemInfo> GetSystemAsync(string systemId, CancellationToken cancellationToken = default)
    {
        return await _gateway.GetSystemAsync(new GetSystemRequest { SystemId = systemId }, Options(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the live stream for a session. <paramref name="connectionId"/> defaults to a new one;
    /// reuse it (<see cref="QuonceptConnection.ReconnectAsync"/>) to resume within the grace period.
    /// A rejected token or connection id is an RpcException (UNAUTHENTICATED / INVALID_ARGUMENT).
    /// </summary>
    public async Task<QuonceptConnection> ConnectAsync(CreateSessionResponse session, string? connectionId = null, ConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var connection = new QuonceptConnection(this, session.Token, connectionId ?? NewConnectionId(), options ?? new ConnectionOptions());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return connection;
    }

    public static string NewConnectionId() => "c-" + Guid.NewGuid().ToString("N")[..16];

    public void Dispose() => _channel.Dispose();

    private static CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);

    private static SocketsHttpHandler DefaultHandler() => new()
    {
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
    };
}
