using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Quoncept.Client;
using Quoncept.V1;

namespace Quoncept.Faults.Fuzz;

/// <summary>
/// Bad input against a running gateway, one input at a time per worker, each waited for (a wait past
/// <see cref="InputTimeout"/> is a hang): messages on admitted Connect streams (random bytes, mutations,
/// invalid UTF-8, unknown fields, odd strings, request ids repeated and flooded), streams opened and dropped,
/// Connect with forged metadata, and unary calls with random usernames and random bytes. A refusal must be a
/// status or an Error answer with a code and a message.
/// </summary>
internal sealed class GatewayFuzzer(Uri gateway, string username, FuzzOutcomes outcomes, Random random)
{
    public static readonly TimeSpan InputTimeout = TimeSpan.FromSeconds(15);
    private const string Service = "quoncept.v1.Gateway";
    private static readonly Method<byte[], byte[]> Connect = RawGrpc.Duplex(Service, "Connect");
    private readonly Inputs _inputs = new(random);
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(gateway);
    private CreateSessionResponse? _session;
    private AsyncDuplexStreamingCall<byte[], byte[]>? _stream;
    private string _connectionId = QuonceptClient.NewConnectionId();

    /// <summary>One input of a family picked at random.</summary>
    public async Task OneAsync(CancellationToken cancellationToken)
    {
        switch (random.Next(12))
        {
            case 0: await OnStreamAsync("stream:random-bytes", _inputs.RandomBytes(64), cancellationToken); break;
            case 1: case 2: await OnStreamAsync("stream:mutated", _inputs.Mutated(), cancellationToken); break;
            case 3: await OnStreamAsync("stream:invalid-utf8", _inputs.InvalidUtf8(), cancellationToken); break;
            case 4: await OnStreamAsync("stream:unknown-fields", _inputs.UnknownFields(), cancellationToken); break;
            case 5: await OnStreamAsync("stream:odd-strings", _inputs.OddStrings().ToByteArray(), cancellationToken); break;
            case 6: await RepeatedIdAsync(cancellationToken); break;
            case 7: await FloodAsync(cancellationToken); break;
            case 8: await OpenAndDropAsync(cancellationToken); break;
            case 9: await ForgedMetadataAsync(cancellationToken); break;
            case 10: await BadUsernameAsync(cancellationToken); break;
            default: await UnaryRandomBytesAsync(cancellationToken); break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropAsync().ConfigureAwait(false);
        _channel.Dispose();
    }

    /// <summary>Sends one message on the worker's stream and records its answer, or the status the stream ended with.</summary>
    private async Task OnStreamAsync(string family, byte[] message, CancellationToken cancellationToken)
    {
        var stream = await StreamAsync(cancellationToken).ConfigureAwait(false);
        if (stream is null) return;
        outcomes.Record(family, await SendAsync(stream, message, family, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The same request id three times: every answer must be the first one (a chat applied once).</summary>
    private async Task RepeatedIdAsync(CancellationToken cancellationToken)
    {
        var stream = await StreamAsync(cancellationToken).ConfigureAwait(false);
        if (stream is null) return;
        var message = new ClientMessage { RequestId = $"rep-{random.Next()}", Chat = new Chat { Text = _inputs.Text(20).Replace('\u0000', '.') } };
        var answers = new List<ServerMessage>();
        for (var i = 0; i < 3; i++)
        {
            var (answer, outcome) = await ExchangeAsync(stream, message.ToByteArray(), "stream:repeated-id", cancellationToken).ConfigureAwait(false);
            outcomes.Record("stream:repeated-id", outcome);
            if (answer is null) return;
            answers.Add(answer);
        }
        var results = answers.Where(a => a.BodyCase == ServerMessage.BodyOneofCase.ChatResult).Select(a => a.ChatResult.Sequence).Distinct().ToList();
        if (results.Count > 1) outcomes.Violation($"request id {message.RequestId} repeated: answered with sequences {string.Join(", ", results)} (applied more than once)");
    }

    /// <summary>Many pings at once on one stream: answered in full, the ones over the rate refused.</summary>
    private async Task FloodAsync(CancellationToken cancellationToken)
    {
        var stream = await StreamAsync(cancellationToken).ConfigureAwait(false);
        if (stream is null) return;
        var count = random.Next(50, 300);
        try
        {
            for (var i = 0; i < count; i++) await stream.RequestStream.WriteAsync(new ClientMessage { RequestId = $"flood-{i}", Ping = new Ping() }.ToByteArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
        {
            outcomes.Record("stream:id-flood", "write failed: " + Describe(e));
            await DropAsync().ConfigureAwait(false);
            return;
        }
        for (var i = 0; i < count; i++)
        {
            var (_, outcome) = await ReadAnswerAsync(stream, "stream:id-flood", cancellationToken).ConfigureAwait(false);
            outcomes.Record("stream:id-flood", outcome);
            if (outcome.StartsWith("status", StringComparison.Ordinal)) return;
        }
    }

    private async Task OpenAndDropAsync(CancellationToken cancellationToken)
    {
        await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = _channel.CreateCallInvoker().AsyncDuplexStreamingCall(Connect, null, new CallOptions(Headers(_session!.Token, QuonceptClient.NewConnectionId()), cancellationToken: cancel.Token));
        try
        {
            if (random.Next(2) == 0) await call.ResponseHeadersAsync.WaitAsync(InputTimeout, cancellationToken).ConfigureAwait(false);
            if (random.Next(2) == 0) await call.RequestStream.WriteAsync(new ClientMessage { RequestId = "drop", Login = new Login() }.ToByteArray(), cancellationToken).ConfigureAwait(false);
            outcomes.Record("stream:open-drop", "dropped");
        }
        catch (RpcException e)
        {
            outcomes.Record("stream:open-drop", $"status {e.StatusCode}");
            Clear("stream:open-drop", e.Status);
        }
        catch (TimeoutException)
        {
            outcomes.Violation("stream:open-drop: no response headers within the input timeout (hang)");
        }
        await cancel.CancelAsync().ConfigureAwait(false);
    }

    private async Task ForgedMetadataAsync(CancellationToken cancellationToken)
    {
        await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        var token = random.Next(4) switch
        {
            0 => _inputs.Text(random.Next(0, 2000)).Replace('\n', ' ').Replace('\r', ' '),
            1 => "Bearer " + string.Concat(_session!.Token.Select(c => random.Next(30) == 0 ? (char)random.Next('a', 'z') : c)),
            2 => "Bearer " + _session!.Token[..random.Next(_session.Token.Length)],
            _ => "Bearer " + _session!.Token,
        };
        var connectionId = random.Next(3) == 0 ? _inputs.Text(random.Next(0, 100)).Replace('\n', ' ').Replace('\r', ' ') : QuonceptClient.NewConnectionId();
        Metadata headers;
        try
        {
            headers = new Metadata { { "authorization", new string(token.Where(c => c is >= ' ' and <= '~').ToArray()) }, { "connection-id", new string(connectionId.Where(c => c is >= ' ' and <= '~').ToArray()) } };
        }
        catch (ArgumentException)
        {
            return;
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(InputTimeout);
        using var call = _channel.CreateCallInvoker().AsyncDuplexStreamingCall(Connect, null, new CallOptions(headers, cancellationToken: cancel.Token));
        try
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            while (await call.ResponseStream.MoveNext(cancel.Token).ConfigureAwait(false))
            {
            }
            outcomes.Record("connect:forged-metadata", "status OK");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            if (e.StatusCode == StatusCode.Cancelled) outcomes.Violation("connect:forged-metadata: no answer within the input timeout (hang)");
            outcomes.Record("connect:forged-metadata", $"status {e.StatusCode}");
            Clear("connect:forged-metadata", e.Status);
        }
    }

    private async Task BadUsernameAsync(CancellationToken cancellationToken)
    {
        var name = random.Next(3) switch
        {
            0 => _inputs.Text(random.Next(0, 100)),
            1 => new string('u', random.Next(65, 100_000)),
            _ => $"nobody{random.Next()}",
        };
        var call = _channel.CreateCallInvoker().AsyncUnaryCall(RawGrpc.Unary(Service, "CreateSession"), null,
            new CallOptions(deadline: DateTime.UtcNow + InputTimeout, cancellationToken: cancellationToken), new CreateSessionRequest { Username = name }.ToByteArray());
        await UnaryAsync("unary:bad-username", call).ConfigureAwait(false);
    }

    private async Task UnaryRandomBytesAsync(CancellationToken cancellationToken)
    {
        var method = random.Next(3) switch { 0 => "CreateSession", 1 => "GetCharacter", _ => "GetSystem" };
        var bytes = random.Next(2) == 0 ? _inputs.RandomBytes(128) : _inputs.Mutated();
        var call = _channel.CreateCallInvoker().AsyncUnaryCall(RawGrpc.Unary(Service, method), null,
            new CallOptions(deadline: DateTime.UtcNow + InputTimeout, cancellationToken: cancellationToken), bytes);
        await UnaryAsync($"unary:random-bytes", call).ConfigureAwait(false);
    }

    private async Task UnaryAsync(string family, AsyncUnaryCall<byte[]> call)
    {
        using (call)
        {
            try
            {
                await call.ResponseAsync.ConfigureAwait(false);
                outcomes.Record(family, "status OK");
            }
            catch (RpcException e)
            {
                if (e.StatusCode == StatusCode.DeadlineExceeded) outcomes.Violation($"{family}: no answer within {InputTimeout.TotalSeconds:0} s (hang)");
                outcomes.Record(family, $"status {e.StatusCode}");
                // grpc-dotnet answers a unary request it cannot parse UNKNOWN "Exception was thrown by handler." before any
                // handler runs (README, interop tests): accepted there, nowhere else.
                if (!(family == "unary:random-bytes" && e.StatusCode == StatusCode.Unknown && e.Status.Detail == "Exception was thrown by handler.")) Clear(family, e.Status);
            }
        }
    }

    /// <summary>The worker's admitted stream (opened on demand, after a session); null when it could not be opened now.</summary>
    private async Task<AsyncDuplexStreamingCall<byte[], byte[]>?> StreamAsync(CancellationToken cancellationToken)
    {
        if (_stream is not null) return _stream;
        await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        var call = _channel.CreateCallInvoker().AsyncDuplexStreamingCall(Connect, null, new CallOptions(Headers(_session!.Token, _connectionId), cancellationToken: cancellationToken));
        try
        {
            var headers = await call.ResponseHeadersAsync.WaitAsync(InputTimeout, cancellationToken).ConfigureAwait(false);
            if (headers.GetValue("quoncept-admitted") is null)
            {
                await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            _stream = call;
            // Logged in, so that chats and moves reach the actors (a Login on a fresh stream is answered like any request).
            await ExchangeAsync(call, new ClientMessage { RequestId = $"login-{random.Next()}", Login = new Login() }.ToByteArray(), "stream:open", cancellationToken).ConfigureAwait(false);
            return _stream;
        }
        catch (RpcException e)
        {
            call.Dispose();
            outcomes.Record("stream:open", $"status {e.StatusCode}");
            Clear("stream:open", e.Status);
            // A refused reopen (the user's streams limit while the old one winds down, a replaced session) is retried later with a fresh session.
            if (e.StatusCode is StatusCode.Unauthenticated) _session = null;
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            call.Dispose();
            outcomes.Violation("stream:open: not admitted or refused within the input timeout (hang)");
            return null;
        }
    }

    private async Task<string> SendAsync(AsyncDuplexStreamingCall<byte[], byte[]> stream, byte[] message, string family, CancellationToken cancellationToken) =>
        (await ExchangeAsync(stream, message, family, cancellationToken).ConfigureAwait(false)).Outcome;

    private async Task<(ServerMessage? Answer, string Outcome)> ExchangeAsync(AsyncDuplexStreamingCall<byte[], byte[]> stream, byte[] message, string family, CancellationToken cancellationToken)
    {
        try
        {
            await stream.RequestStream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
        {
            // The stream had already ended (its status is read below).
        }
        return await ReadAnswerAsync(stream, family, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next answer (live events skipped), or the status the stream ended with (then it is reopened next time).</summary>
    private async Task<(ServerMessage? Answer, string Outcome)> ReadAnswerAsync(AsyncDuplexStreamingCall<byte[], byte[]> stream, string family, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InputTimeout);
        var terminated = false;
        try
        {
            while (await stream.ResponseStream.MoveNext(timeout.Token).ConfigureAwait(false))
            {
                var answer = ServerMessage.Parser.ParseFrom(stream.ResponseStream.Current);
                switch (answer.BodyCase)
                {
                    case ServerMessage.BodyOneofCase.Error:
                        if (answer.Error.Code == ErrorCode.Unspecified || answer.Error.Message.Length == 0) outcomes.Violation($"{family}: an Error answer without code or message: {answer}");
                        return (answer, $"answer Error({answer.Error.Code})");
                    case ServerMessage.BodyOneofCase.CharacterArrived or ServerMessage.BodyOneofCase.CharacterDeparted or ServerMessage.BodyOneofCase.ChatMessage:
                        continue;
                    case ServerMessage.BodyOneofCase.Terminate:
                        terminated = true;
                        continue;
                    default:
                        return (answer, $"answer {answer.BodyCase}");
                }
            }
            await DropAsync().ConfigureAwait(false);
            if (!terminated) outcomes.Violation($"{family}: the stream ended with status OK and no Terminate: the client cannot tell why");
            return (null, terminated ? "Terminate, then status OK" : "status OK (stream ended, no reason)");
        }
        catch (Exception e) when (e is RpcException { StatusCode: StatusCode.Cancelled } or OperationCanceledException
            && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcomes.Violation($"{family}: no answer and no end within {InputTimeout.TotalSeconds:0} s (hang)");
            await DropAsync().ConfigureAwait(false);
            return (null, "hang");
        }
        catch (RpcException e)
        {
            Clear(family, e.Status);
            await DropAsync().ConfigureAwait(false);
            return (null, $"status {e.StatusCode}");
        }
    }

    private async Task EnsureSessionAsync(CancellationToken cancellationToken)
    {
        while (_session is null)
        {
            try
            {
                using var client = new QuonceptClient(gateway);
                _session = (await client.CreateSessionAsync(username, cancellationToken).ConfigureAwait(false)).Value;
                _connectionId = QuonceptClient.NewConnectionId();
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DropAsync()
    {
        if (Interlocked.Exchange(ref _stream, null) is not { } stream) return;
        try
        {
            await stream.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
        {
        }
        stream.Dispose();
    }

    /// <summary>A refusal must say what was wrong: a status other than UNKNOWN/INTERNAL, with a message.</summary>
    private void Clear(string family, Status status)
    {
        if (status.StatusCode is StatusCode.Cancelled) return;
        if (status.StatusCode is StatusCode.Unknown or StatusCode.Internal || string.IsNullOrWhiteSpace(status.Detail))
        {
            outcomes.Violation($"{family}: unclear refusal {status.StatusCode} \"{status.Detail}\"");
        }
    }

    private static Metadata Headers(string token, string connectionId) => new() { { "authorization", "Bearer " + token }, { "connection-id", connectionId } };

    private static string Describe(Exception e) => e is RpcException r ? r.StatusCode.ToString() : e.GetType().Name;
}
