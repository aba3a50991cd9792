using System.Diagnostics;
using Grpc.Core;
using Quoncept.Client;
using Quoncept.Faults.Universe;
using Quoncept.V1;

namespace Quoncept.Faults.Faults;

/// <summary>
/// One client under faults, as a careful real client behaves: every request is retried with the same request
/// id until it is answered (an UNAVAILABLE answer, a broken stream or a timeout are all retried); a broken
/// stream is reopened with the same connection id, through the next gateway when its own one stopped or
/// does not answer. It jumps between two neighbouring systems and chats, and writes into the
/// <see cref="FaultLedger"/> what it was told (its ledger) and what it saw.
/// </summary>
internal sealed class FaultPlayer(UserPool.User user, IReadOnlyList<QuonceptClient> gateways, int firstGateway, string awaySystemId, FaultLedger ledger) : ILedgerPlayer
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);
    private static readonly ConnectionOptions Options = new() { RequestTimeout = TimeSpan.FromSeconds(5) };
    private int _gateway = firstGateway;
    private long _counter;
    private CreateSessionResponse? _session;
    private QuonceptConnection? _connection;
    private Task _reader = Task.CompletedTask;
    private long _brokenAt;

    public string Name => user.Username;

    public string CharacterId => user.CharacterId;

    /// <summary>The system its character is in by the last acknowledged answer.</summary>
    public string ExpectedSystemId { get; private set; } = user.HomeSystemId;

    public async Task LogInAsync(CancellationToken stop)
    {
        ledger.Players[user.CharacterId] = user.Username;
        _session = await RetryAsync(() => gateways[_gateway].CreateSessionAsync(user.Username, stop), stop).ConfigureAwait(false);
        await OpenAsync(stop).ConfigureAwait(false);
    }

    /// <summary>Plays until <paramref name="stop"/>; a request under way when it comes is still finished (by <paramref name="hardStop"/>).</summary>
    public async Task PlayAsync(TimeSpan interval, CancellationToken stop, CancellationToken hardStop)
    {
        var random = new Random(user.Username.GetHashCode(StringComparison.Ordinal));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval * (0.5 + random.NextDouble()), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var n = Interlocked.Increment(ref _counter);
            if (n % 3 == 0)
            {
                var to = ExpectedSystemId == user.HomeSystemId ? awaySystemId : user.HomeSystemId;
                await MoveAsync(to, hardStop).ConfigureAwait(false);
            }
            else
            {
                await ChatAsync($"{user.Username} line {n}", hardStop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>After the faults: one more Login (answers the character and its system's current snapshot).</summary>
    public async Task<LoginResult?> FinalLoginAsync(CancellationToken hardStop)
    {
        var answer = await SendReliablyAsync(new ClientMessage { Login = new Login() }, hardStop).ConfigureAwait(false);
        return answer?.BodyCase == ServerMessage.BodyOneofCase.LoginResult ? answer.LoginResult : null;
    }

    public async Task<Character?> LookUpAsync(CancellationToken hardStop)
    {
        try
        {
            return await RetryAsync(() => gateways[_gateway].GetCharacterAsync(user.CharacterId, hardStop), hardStop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task CloseAsync()
    {
        if (_connection is { } connection) await connection.DisposeAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task MoveAsync(string to, CancellationToken hardStop)
    {
        var answer = await SendReliablyAsync(new ClientMessage { Move = new Move { ToSystemId = to } }, hardStop).ConfigureAwait(false);
        if (answer?.BodyCase == ServerMessage.BodyOneofCase.MoveResult) ExpectedSystemId = answer.MoveResult.Character.SystemId;
    }

    private async Task ChatAsync(string text, CancellationToken hardStop)
    {
        var answer = await SendReliablyAsync(new ClientMessage { Chat = new Chat { Text = text } }, hardStop).ConfigureAwait(false);
        if (answer?.BodyCase == ServerMessage.BodyOneofCase.ChatResult) ledger.ChatAcknowledged(ExpectedSystemId, answer.ChatResult.Sequence, text);
    }

    /// <summary>Sends until answered; null when <paramref name="hardStop"/> came first (an unresolved request).</summary>
    private async Task<ServerMessage?> SendReliablyAsync(ClientMessage message, CancellationToken hardStop)
    {
        message.RequestId = $"{user.Username}-{Interlocked.Increment(ref _counter)}";
        var kind = message.BodyCase.ToString().ToLowerInvariant();
        var started = Stopwatch.GetTimestamp();
        while (!hardStop.IsCancellationRequested)
        {
            try
            {
                await EnsureOpenAsync(hardStop).ConfigureAwait(false);
                var answer = (await _connection!.SendAsync(message.Clone(), hardStop).ConfigureAwait(false)).Value;
                if (answer.BodyCase == ServerMessage.BodyOneofCase.Error && answer.Error.Code == ErrorCode.Unavailable)
                {
                    ledger.Retried();
                    await Task.Delay(RetryPause, hardStop).ConfigureAwait(false);
                    continue;
                }
                ledger.Answered(started, Stopwatch.GetElapsedTime(started));
                ledger.Outcome(answer.BodyCase == ServerMessage.BodyOneofCase.Error ? $"{kind}: {answer.Error.Code}" : $"{kind}: ok");
                return answer;
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
            {
                break;
            }
            catch (TimeoutException)
            {
                // Not answered in time (e.g. its actor's host is restarting): the same request id again; the stream is
                // reopened only if it ended.
                ledger.Retried();
            }
            catch (Exception e) when (e is RpcException or RequestFailedException or InvalidOperationException or IOException or OperationCanceledException)
            {
                ledger.Retried();
                await BreakAsync().ConfigureAwait(false);
            }
        }
        ledger.Outcome($"{kind}: unresolved");
        ledger.Violation($"{user.Username}: request {message.RequestId} ({kind}) was never answered before the run's end");
        return null;
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await RetryAsync(() => gateways[_gateway].ConnectAsync(_session!, options: Options, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        _connection = connection;
        _reader = ReadAsync(connection);
        // Login is idempotent (an online character just gets its current snapshot): repeated until answered.
        while (true)
        {
            try
            {
                var login = await connection.LoginAsync(cancellationToken).ConfigureAwait(false);
                ExpectedSystemId = login.Value.Character.SystemId;
                return;
            }
            catch (Exception e) when (e is TimeoutException or RequestFailedException { Code: ErrorCode.Unavailable } && !cancellationToken.IsCancellationRequested)
            {
                ledger.Retried();
            }
        }
    }

    /// <summary>Reopens a broken stream with the same connection id, trying the gateways in turn.</summary>
    private async Task EnsureOpenAsync(CancellationToken hardStop)
    {
        var connection = _connection!;
        if (!connection.StreamEnded.IsCompleted && Interlocked.Read(ref _brokenAt) == 0) return;
        Interlocked.CompareExchange(ref _brokenAt, Stopwatch.GetTimestamp(), 0);
        // A gateway that is stopping said so; one that vanished said nothing: either way, the next one first.
        _gateway = (_gateway + 1) % gateways.Count;
        while (true)
        {
            hardStop.ThrowIfCancellationRequested();
            try
            {
                var login = await connection.ReconnectAsync(gateways[_gateway], hardStop).ConfigureAwait(false);
                if (login is not null) ExpectedSystemId = login.Value.Character.SystemId;
                var brokenAt = Interlocked.Exchange(ref _brokenAt, 0);
                ledger.Resumed(brokenAt, Stopwatch.GetElapsedTime(brokenAt), user.Username);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
            {
                ledger.Violation($"{user.Username}: its session did not survive ({e.Status.Detail}); it had to log in again");
                _session = await RetryAsync(() => gateways[_gateway].CreateSessionAsync(user.Username, hardStop), hardStop).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
                await OpenAsync(hardStop).ConfigureAwait(false);
                Interlocked.Exchange(ref _brokenAt, 0);
                return;
            }
            catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException or InvalidOperationException or IOException
                or OperationCanceledException && !hardStop.IsCancellationRequested)
            {
                _gateway = (_gateway + 1) % gateways.Count;
                await Task.Delay(RetryPause, hardStop).ConfigureAwait(false);
            }
        }
    }

    private async Task BreakAsync()
    {
        Interlocked.CompareExchange(ref _brokenAt, Stopwatch.GetTimestamp(), 0);
        await Task.Yield();
    }

    private async Task ReadAsync(QuonceptConnection connection)
    {
        await foreach (var e in connection.Events.ReadAllAsync().ConfigureAwait(false))
        {
            ledger.Event();
            if (e.Chat is { } chat) ledger.ChatSeen(chat.SystemId, chat.Sequence, chat.Text);
            if (e.Departed is { Reason: not "moved" } departed && !ledger.Closing && departed.CharacterId != user.CharacterId && ledger.Players.TryGetValue(departed.CharacterId, out var who))
            {
                ledger.Departure($"{user.Username} saw {who} leave {departed.SystemId} ({departed.Reason}) while its client was alive");
            }
            if (e.Terminate is { } terminate) ledger.Terminated(terminate.Reason);
            if (e.StreamEnded is not null) Interlocked.CompareExchange(ref _brokenAt, e.ReceivedTimestamp, 0);
        }
    }

    private static async Task<T> RetryAsync<T>(Func<Task<Answer<T>>> call, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                return (await call().ConfigureAwait(false)).Value;
            }
            catch (Exception e) when (e is RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown }
                or TimeoutException && !stop.IsCancellationRequested)
            {
                await Task.Delay(RetryPause, stop).ConfigureAwait(false);
            }
        }
    }

    private static Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken stop) =>
        RetryAsync(async () => new Answer<T>(await call().ConfigureAwait(false), TimeSpan.Zero), stop);
}
