using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Quoncept.Gateway.Auth;
using Quoncept.Gateway.Connections;
using Quoncept.Gateway.Streams;
using Quoncept.V1;

namespace Quoncept.Gateway.Browser;

/// <summary>
/// GET /ws on the web port: a browser's connection (protos/quoncept/v1/browser.proto). The origin
/// and subprotocol are checked, the first frame (BrowserHello) carries what a Connect call carries in
/// its metadata, then the same <see cref="SessionAdmission"/> and <see cref="ConnectStream"/> as the
/// gRPC stream run the session. Every refusal is a close with a code and a reason (<see cref="BrowserClose"/>).
/// </summary>
internal sealed class BrowserSocket(
    OriginPolicy origins,
    SessionTokenValidator tokens,
    SessionAdmission admissions,
    IServiceProvider services,
    IOptions<BrowserOptions> options,
    IOptions<GatewayOptions> gatewayOptions,
    ILogger<BrowserSocket> logger)
{
    public const string Path = "/ws";
    public const string SubProtocol = "quoncept.v1";

    public async Task RunAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"{Path} is a WebSocket (subprotocol {SubProtocol}, binary protobuf frames: protos/quoncept/v1/browser.proto)\n").ConfigureAwait(false);
            return;
        }
        var offered = context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.Ordinal);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = offered ? SubProtocol : null }).ConfigureAwait(false);
        var transport = new WebSocketClientTransport(socket, options.Value);
        BrowserClose? close;
        try
        {
            close = await ServeAsync(context, offered, transport).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            close = null;   // the client went away: nobody to tell
        }
        if (close is { } c)
        {
            if (c.Code is >= 1002 and < 4000 or >= 4400) logger.LogInformation("WebSocket from {Remote} closed {Code}: {Reason}", context.Connection.RemoteIpAddress, c.Code, c.Reason);
            await transport.CloseAsync(c, gatewayOptions.Value.TerminateWriteTimeout).ConfigureAwait(false);
        }
        else
        {
            socket.Abort();
        }
    }

    /// <summary>Runs the socket's session; returns how to close it (null: the connection is lost).</summary>
    private async Task<BrowserClose?> ServeAsync(HttpContext context, bool offered, WebSocketClientTransport transport)
    {
        if (origins.Refusal(context.Request) is { } refusal) return new BrowserClose(BrowserClose.OriginNotAllowed, refusal);
        if (!offered) return new BrowserClose(BrowserClose.ProtocolError, $"offer the WebSocket subprotocol {SubProtocol}");

        BrowserHello? hello;
        using (var helloDeadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            helloDeadline.CancelAfter(options.Value.HelloTimeout);
            try
            {
                hello = await transport.ReadHelloAsync(helloDeadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                return new BrowserClose(BrowserClose.HelloTimeout, $"no BrowserHello within {options.Value.HelloTimeout.TotalSeconds} s");
            }
        }
        if (hello is null) return Ended(transport, null);

        var token = await tokens.ValidateTokenAsync(hello.Token).ConfigureAwait(false);
        using var admission = await admissions.AdmitAsync(token, hello.ConnectionId, "the BrowserHello's connection_id", context.Connection.RemoteIpAddress).ConfigureAwait(false);
        if (admission.Connection is not { } connection) return BrowserClose.Refused(admission.Refusal, admission.Problem);

        // The writer sends it first: the client knows it is in before any answer or event.
        connection.TryEnqueue(new ServerMessage { Admitted = new Admitted { Resumed = admission.Resumed, MaxFrameBytes = options.Value.MaxFrameBytes } });
        var stream = ActivatorUtilities.CreateInstance<ConnectStream>(services, connection);
        await stream.RunAsync(transport, admission.Resumed, context.RequestAborted).ConfigureAwait(false);
        return Ended(transport, connection);
    }

    private static BrowserClose? Ended(WebSocketClientTransport transport, ClientConnection? connection) => transport switch
    {
        { Violation: { } violation } => violation,
        _ when connection?.Termination is { } terminate => BrowserClose.After(terminate),
        { ClientClosed: true } => new BrowserClose((int)WebSocketCloseStatus.NormalClosure, "closed"),
        _ => null,
    };
}
