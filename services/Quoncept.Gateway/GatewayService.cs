using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Dapr;
using Grpc.Core;
using Quoncept.Contracts;
using Quoncept.Gateway.Auth;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Routing;
using Quoncept.Gateway.Streams;
using Quoncept.V1;

namespace Quoncept.Gateway;

/// <summary>
/// quoncept.v1.Gateway (protos/quoncept/v1/gateway.proto). Connect admits a stream only with a
/// valid token for the current session and a well-formed connection id, before reading any
/// message; everything after admission is <see cref="ConnectStream"/>'s.
/// </summary>
internal sealed class GatewayService(
    SessionTokenValidator tokens,
    ActorDirectory actors,
    IHttpClientFactory http,
    LiveEventRouter router,
    Social.SocialRequests social,
    IOptions<GatewayOptions> options,
    ILogger<GatewayService> logger) : V1.Gateway.GatewayBase
{
    public const string ConnectionIdHeader = "connection-id";

    /// <summary>Response header of an admitted Connect stream (gateway.proto).</summary>
    public const string AdmittedHeader = "quoncept-admitted";

    public override async Task<CreateSessionResponse> CreateSession(CreateSessionRequest request, ServerCallContext context)
    {
        if (ClientInput.CheckId(request.Username, "username") is { } bad) throw Refuse(StatusCode.InvalidArgument, bad);
        using var response = await Backend(() => http.CreateClient(AppIds.Sessions).PostAsJsonAsync(
            SessionsApi.OpenSessionMethod, new OpenSession(request.Username), ContractsJson.Default.OpenSession, context.CancellationToken)).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            var failure = await ReadFailureAsync(response, context.CancellationToken).ConfigureAwait(false);
            throw Refuse(response.StatusCode == HttpStatusCode.NotFound ? StatusCode.NotFound : StatusCode.InvalidArgument,
                failure?.Message ?? $"unknown username '{request.Username}'");
        }
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("Sessions app answered {Status} to opening a session for {Username}", (int)response.StatusCode, request.Username);
            throw Refuse(StatusCode.Unavailable, "the sessions service is not available; try again");
        }
        var grant = await response.Content.ReadFromJsonAsync(ContractsJson.Default.SessionGrant, context.CancellationToken).ConfigureAwait(false)
            ?? throw Refuse(StatusCode.Internal, "the sessions service answered an empty grant");
        return new CreateSessionResponse { SessionId = grant.SessionId, Token = grant.Token, CharacterId = grant.CharacterId, ExpiresAtUnixMs = grant.ExpiresAtUnixMs };
    }

    public override async Task Connect(IAsyncStreamReader<ClientMessage> requestStream, IServerStreamWriter<ServerMessage> responseStream, ServerCallContext context)
    {
        var (identity, tokenError) = await tokens.ValidateAsync(context.RequestHeaders.GetValue("authorization")).ConfigureAwait(false);
        if (identity is null) throw Refuse(StatusCode.Unauthenticated, tokenError);
        var connectionId = context.RequestHeaders.GetValue(ConnectionIdHeader);
        if (ClientInput.CheckId(connectionId, "the connection-id metadata") is { } bad) throw Refuse(StatusCode.InvalidArgument, bad);

        var attach = await Backend(() => actors.Session(identity.Username)
            .AttachAsync(new AttachSession(identity.SessionId, connectionId!, options.Value.GatewayId))).ConfigureAwait(false);
        if (attach.Kind == AttachKind.Rejected)
        {
            throw Refuse(attach.Error?.Code.ToStatusCode() ?? StatusCode.Unauthenticated, attach.Error?.Message ?? "the session is no longer current");
        }
        if (attach.CharacterId != identity.CharacterId)
        {
            throw Refuse(StatusCode.Unauthenticated, "the token's character does not match its session");
        }

        // Admitted: the response headers tell the client so before any message is exchanged.
        await context.WriteResponseHeadersAsync(new Metadata { { AdmittedHeader, "true" } }).ConfigureAwait(false);
        var connection = new ClientConnection(connectionId!, identity, options.Value.OutboundQueueCapacity);
        var stream = new ConnectStream(connection, actors, router, social, options, logger);
        await stream.RunAsync(requestStream, responseStream, attach.Kind == AttachKind.Resumed, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<Character> GetCharacter(GetCharacterRequest request, ServerCallContext context)
    {
        if (ClientInput.CheckId(request.CharacterId, "character_id") is { } bad) throw Refuse(StatusCode.InvalidArgument, bad);
        var lookup = await Backend(() => actors.Character(request.CharacterId).GetAsync()).ConfigureAwait(false);
        if (lookup.Error is { } error) throw Refuse(error.Code.ToStatusCode(), error.Message);
        return lookup.Character!.ToProto();
    }

    public override async Task<SystemInfo> GetSystem(GetSystemRequest request, ServerCallContext context)
    {
        if (ClientInput.CheckId(request.SystemId, "system_id") is { } bad) throw Refuse(StatusCode.InvalidArgument, bad);
        var lookup = await Backend(() => actors.System(request.SystemId).GetInfoAsync()).ConfigureAwait(false);
        if (lookup.Error is { } error) throw Refuse(error.Code.ToStatusCode(), error.Message);
        return lookup.System!.ToProto();
    }

    /// <summary>A service or actor that cannot be reached is UNAVAILABLE to the client, not an internal error.</summary>
    private async Task<T> Backend<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is DaprException or HttpRequestException)
        {
            logger.LogWarning(e, "A call through the sidecar failed");
            throw Refuse(StatusCode.Unavailable, "the universe is not reachable right now; try again");
        }
    }

    private static RpcException Refuse(StatusCode code, string message) => new(new Status(code, message));

    private static async Task<Failure?> ReadFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(ContractsJson.Default.Failure, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
