using System.Diagnostics;
using Grpc.Core;
using Quoncept.Client;
using Quoncept.Faults.Universe;
using Quoncept.V1;

namespace Quoncept.Faults.Faults;

/// <summary>
/// One client of a rolling restart, relying on nothing but the client library: its requests are retried by the
/// library with the same request id (<see cref="ConnectionOptions.Retry"/>) and its stream resumed by the library
/// through the other gateway (<see cref="ConnectionOptions.Gateways"/>). A request the library gives up on is a
/// failure beyond the client's retries. It jumps between two neighbouring systems and chats, writing into the
/// <see cref="FaultLedger"/> what it was told and what it saw.
/// </summary>
internal sealed class RollingPlayer(UserPool.User user, IReadOnlyList<QuonceptClient> gateways, int firstGateway, string awaySystemId, FaultLedger ledger) : ILedgerPlayer
{
    private static readonly TimeSpan SetupPause = TimeSpan.FromMilliseconds(200);
    private QuonceptConnection? _connection;
    private Task _reader = Task.CompletedTask;
    private long _counter;

    public string Name => user.Username;

    public string CharacterId => user.CharacterId;

    public string ExpectedSystemId { get; private set; } = user.HomeSystemId;

    /// <summary>Before the restarts begin: a session, a stream through its first gateway, and a Login.</summary>
    public async Task LogInAsync(CancellationToken stop)
    {
        ledger.Players[user.CharacterId] = user.Username;
        var options = new ConnectionOptions { RequestTimeout = TimeSpan.FromSeconds(5), Retry = RetryPolicy.Default, Gateways = gateways };
        while (true)
        {
            try
            {
                var session = await gateways[firstGateway].CreateSessionAsync(user.Username, stop).ConfigureAwait(false);
                _connection = await gateways[firstGateway].ConnectAsync(session.Value, options: options, cancellationToken: stop).ConfigureAwait(false);
                break;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && !stop.IsCancellationRequested)
            {
                await Task.Delay(SetupPause, stop).ConfigureAwait(false);
            }
        }
        _connection.Resumed += (via, afterBreak) => ledger.Resumed(Stopwatch.GetTimestamp() - (long)(afterBreak.TotalSeconds * Stopwatch.Frequency), afterBreak, user.Username);
        _reader = ReadAsync(_connection);
        var login = await _connection.LoginAsync(stop).ConfigureAwait(false);
        ExpectedSystemId = login.Value.Character.SystemId;
    }

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
            var n = ++_counter;
            var kind = n % 3 == 0 ? "move" : "chat";
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (kind == "move")
                {
                    var to = ExpectedSystemId == user.HomeSystemId ? awaySystemId : user.HomeSystemId;
                    var moved = await _connection!.MoveAsync(to, hardStop).ConfigureAwait(false);
                    ExpectedSystemId = moved.Value.Character.SystemId;
                }
                else
                {
                    var text = $"{user.Username} line {n}";
                    var chat = await _connection!.ChatAsync(text, hardStop).ConfigureAwait(false);
                    ledger.ChatAcknowledged(ExpectedSystemId, chat.Value.Sequence, text);
                }
                ledger.Answered(started, Stopwatch.GetElapsedTime(started));
                ledger.Outcome($"{kind}: ok");
            }
            catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException or InvalidOperationException or IOException
                or OperationCanceledException && !hardStop.IsCancellationRequested)
            {
                ledger.Outcome($"{kind}: failed");
                ledger.FailedBeyondRetries($"{user.Username}: a {kind} failed after the client's retries ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s): {e.GetType().Name}: {e.Message}");
            }
            catch (Exception) when (hardStop.IsCancellationRequested)
            {
                ledger.Outcome($"{kind}: unresolved");
                ledger.Violation($"{user.Username}: a {kind} was never answered before the run's end");
                break;
            }
        }
    }

    public async Task<LoginResult?> FinalLoginAsync(CancellationToken hardStop)
    {
        try
        {
            return (await _connection!.LoginAsync(hardStop).ConfigureAwait(false)).Value;
        }
        catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            ledger.Violation($"{user.Username}: the final Login failed: {e.Message}");
            return null;
        }
    }

    public async Task<Character?> LookUpAsync(CancellationToken hardStop)
    {
        for (var attempt = 0; !hardStop.IsCancellationRequested; attempt++)
        {
            try
            {
                return await gateways[attempt % gateways.Count].GetCharacterAsync(user.CharacterId, hardStop).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
            {
                await Task.Delay(SetupPause, hardStop).ConfigureAwait(false);
            }
        }
        return null;
    }

    public async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            ledger.Retried(connection.Retries);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
        }
    }
}
