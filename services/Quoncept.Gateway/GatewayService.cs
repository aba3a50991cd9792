using System.Net;
using System.Net.Http.Json;
using Dapr;
using Grpc.Core;
using Quoncept.Contracts;
using Quoncept.Gateway.Auth;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Limits;
using Quoncept.Gateway.Streams;
using Quoncept.V1;

namespace Quoncept.Gateway;

/// <summary>
/// quoncept.v1.Gateway (protos/quoncept/v1/gateway.proto), also served as gRPC-Web to browsers.
/// Connect admits a stream only with a valid token for the current session and a well-formed
/// connection id (<see cref="SessionAdmission"/>), before reading any message; everything after
/// admission is <see cref="ConnectStream"/>'s, as for a browser's WebSocket.
/// </summary>
/// <remarks>
/// Bound through its own [BindServiceMethod] (<see cref="BindService"/>) instead of the generated base
/// class, so that Connect can write pre-encoded messages. Grpc.AspNetCore then looks each handler
/// up as a virtual method first declared by this type: hence virtual methods and no sealed.
/// </remarks>
[BindServiceMethod(typeof(GatewayService), nameof(BindService))]
internal class GatewayService(
    SessionTokenValidator tokens,
    SessionAdmission admissions,
    ActorDirectory actors,
    IHttpClientFactory http,
    GatewayDrain drain,
    ClientLimits limits,
    IServiceProvider services,
    ILogger<GatewayService> logger)
{
    public const string ConnectionIdHeader = "connection-id";

    /// <summary>Response header of an admitted Connect stream (gateway.proto).</summary>
    public const string AdmittedHeader = "quoncept-admitted";

    public virtual async Task<CreateSessionResponse> CreateSession(CreateSessionRequest request, ServerCallContext context)
    {
        if (drain.IsDraining) throw Refuse(StatusCode.Unavailable, GatewayDrain.RefusalMessage);
        if (limits.AdmitSession(RemoteAddress(context)) is { } tooMany) throw Refuse(StatusCode.ResourceExhausted, tooMany);
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

    /// <summary>Server reflection finds a service's descriptor beside its bind method.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => V1.Gateway.Descriptor;

    /// <summary>The generated binding, with Connect writing pre-encoded messages (<see cref="EncodedConnectBinder"/>).</summary>
    public static void BindService(ServiceBinderBase binder, GatewayService? service) =>
        V1.Gateway.BindService(new EncodedConnectBinder(binder), null);

    public virtual async Task Connect(IAsyncStreamReader<ClientMessage> requestStream, IServerStreamWriter<OutboundMessage> responseStream, ServerCallContext context)
    {
        var token = await tokens.ValidateAsync(context.RequestHeaders.GetValue("authorization")).ConfigureAwait(false);
        using var admission = await admissions.AdmitAsync(token, context.RequestHeaders.GetValue(ConnectionIdHeader), "the connection-id metadata",
            context.GetHttpContext().Connection.RemoteIpAddress).ConfigureAwait(false);
        if (admission.Connection is not { } connection) throw Refuse(admission.Refusal, admission.Problem);

        // Admitted: the response headers tell the client so before any message is exchanged.
        await context.WriteResponseHeadersAsync(new Metadata { { AdmittedHeader, "true" } }).ConfigureAwait(false);
        var stream = ActivatorUtilities.CreateInstance<ConnectStream>(services, connection);
        var terminateWritten = await stream.RunAsync(new GrpcClientTransport(requestStream, responseStream), admission.Resumed, context.CancellationToken).ConfigureAwait(false);
        if (connection.Termination is { Reason: ClientConnection.SlowConsumer } cut) EndCutStream(cut, terminateWritten, context);
    }

    /// <summary>
    /// A slow consumer's stream never ends silently: it got Terminate{slow_consumer} and ends with
    /// RESOURCE_EXHAUSTED; a client that stopped reading altogether could not take the Terminate,
    /// and its stream is reset instead (a non-OK status too, and its buffers are freed now).
    /// </summary>
    private static void EndCutStream(Terminate cut, bool terminateWritten, ServerCallContext context)
    {
        if (!terminateWritten)
        {
            context.GetHttpContext().Abort();
            return;
        }
        throw Refuse(StatusCode.ResourceExhausted, cut.Message);
    }

    public virtual async Task<Character> GetCharacter(GetCharacterRequest request, ServerCallContext context)
    {
        if (ClientInput.CheckId(request.CharacterId, "character_id") is { } bad) throw Refuse(StatusCode.InvalidArgument, bad);
        var lookup = await Backend(() => actors.Character(request.CharacterId).GetAsync()).ConfigureAwait(false);
        if (lookup.Error is { } error) throw Refuse(error.Code.ToStatusCode(), error.Message);
        return lookup.Character!.ToProto();
    }

    public virtual async Task<SystemInfo> GetSystem(GetSystemRequest request, ServerCallContext context)
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

    private static IPAddress RemoteAddress(ServerCallContext context) => ClientLimits.Address(context.GetHttpContext().Connection.RemoteIpAddress);

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
