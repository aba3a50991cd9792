using System.Net;
using Dapr;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Quoncept.Contracts;
using Quoncept.Gateway.Auth;
using Quoncept.Gateway.Limits;
using Quoncept.Gateway.Streams;

namespace Quoncept.Gateway.Connections;

/// <summary>
/// Admits a connection, whatever its transport, before any of its requests is read: a gateway that is
/// not draining, a valid token of the user's current session, a well-formed client-made connection id,
/// room under the stream limits (per user, per remote address), and the session actor's word that
/// this connection now holds the session (attached fresh, or resumed within grace).
/// </summary>
internal sealed class SessionAdmission(
    ActorDirectory actors,
    GatewayDrain drain,
    ClientLimits limits,
    IOptions<GatewayOptions> options,
    ILogger<SessionAdmission> logger)
{
    /// <param name="token">What <see cref="SessionTokenValidator"/> made of the token the client sent.</param>
    /// <param name="connectionId">The client-made connection id.</param>
    /// <param name="connectionIdSource">How the client sent it, for the refusal message ("the connection-id metadata").</param>
    /// <param name="remote">The client's address, for the per-address limit.</param>
    public async Task<Admission> AdmitAsync((SessionIdentity? Identity, string Error) token, string? connectionId, string connectionIdSource, IPAddress? remote)
    {
        if (drain.IsDraining) return Admission.Refuse(StatusCode.Unavailable, GatewayDrain.RefusalMessage);
        if (token.Identity is not { } identity) return Admission.Refuse(StatusCode.Unauthenticated, token.Error);
        if (ClientInput.CheckId(connectionId, connectionIdSource) is { } bad) return Admission.Refuse(StatusCode.InvalidArgument, bad);
        var (leases, tooMany) = limits.AdmitStream(identity.Username, ClientLimits.Address(remote));
        if (leases is null) return Admission.Refuse(StatusCode.ResourceExhausted, tooMany!);
        var admission = await AttachAsync(identity, connectionId!).ConfigureAwait(false);
        if (admission.Connection is null) leases.Dispose();
        return admission with { Leases = admission.Connection is null ? null : leases };
    }

    private async Task<Admission> AttachAsync(SessionIdentity identity, string connectionId)
    {
        AttachOutcome attach;
        try
        {
            attach = await actors.Session(identity.Username).AttachAsync(new AttachSession(identity.SessionId, connectionId, options.Value.GatewayId)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DaprException or HttpRequestException)
        {
            logger.LogWarning(e, "Attaching connection {ConnectionId} of {Username} failed", connectionId, identity.Username);
            return Admission.Refuse(StatusCode.Unavailable, "the universe is not reachable right now; try again");
        }
        if (attach.Kind == AttachKind.Rejected)
        {
            return Admission.Refuse(attach.Error?.Code.ToStatusCode() ?? StatusCode.Unauthenticated, attach.Error?.Message ?? "the session is no longer current");
        }
        if (attach.CharacterId != identity.CharacterId)
        {
            return Admission.Refuse(StatusCode.Unauthenticated, "the token's character does not match its session");
        }
        var connection = new ClientConnection(connectionId, identity, options.Value.OutboundQueueCapacity) { Attachment = attach.Attachment };
        return new Admission(connection, attach.Kind == AttachKind.Resumed, StatusCode.OK, "");
    }
}
