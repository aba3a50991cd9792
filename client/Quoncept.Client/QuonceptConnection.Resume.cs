using System.Diagnostics;
using Grpc.Core;
using Quoncept.V1;

namespace Quoncept.Client;

/// <summary>
/// Riding out restarts: typed requests retried with the same request id (<see cref="ConnectionOptions.Retry"/>), and
/// the stream resumed with the same connection id through the next gateway (<see cref="ConnectionOptions.Gateways"/>)
/// when its own one stops or vanishes, logging in again so that the gateway joins it to its system's live events.
/// </summary>
public sealed partial class QuonceptConnection
{
    private readonly SemaphoreSlim _resumeLock = new(1, 1);
    private readonly SemaphoreSlim _rejoinLock = new(1, 1);
    private long _retries;
    private long _resumes;
    private volatile bool _rejoinPending;

    /// <summary>After a resume on its own or for a retried request: the gateway it resumed through and the time since the stream ended.</summary>
    public event Action<Uri, TimeSpan>? Resumed;

    /// <summary>Attempts after the first one, over every request of this connection.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Streams reopened by the connection itself (not by <see cref="ReconnectAsync(CancellationToken)"/>).</summary>
    public long Resumes => Interlocked.Read(ref _resumes);

    private async Task<Answer<ServerMessage>> SendRetryingAsync(ClientMessage message, RetryPolicy retry, CancellationToken cancellationToken)
    {
        if (message.RequestId.Length == 0) message.RequestId = _requestPrefix + Interlocked.Increment(ref _requestCounter);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(retry.BackoffBefore(attempt), cancellationToken).ConfigureAwait(false);
            }
            var last = attempt >= retry.MaxAttempts || Stopwatch.GetElapsedTime(started) >= retry.Budget;
            try
            {
                await EnsureStreamAsync(message.BodyCase == ClientMessage.BodyOneofCase.Login, cancellationToken).ConfigureAwait(false);
                var answer = await SendAsync(message, cancellationToken).ConfigureAwait(false);
                if (!last && answer.Value is { BodyCase: ServerMessage.BodyOneofCase.Error, Error.Code: ErrorCode.Unavailable }) continue;
                return answer with { Latency = Stopwatch.GetElapsedTime(started) };
            }
            catch (Exception e) when (!last && !cancellationToken.IsCancellationRequested && IsWorthRetrying(e))
            {
            }
        }
    }

    /// <summary>Resumes the stream when it ended; when it was resumed but not yet logged in again, logs in first.</summary>
    private async Task EnsureStreamAsync(bool loggingIn, CancellationToken cancellationToken)
    {
        if (_stream is not { Ended.IsCompleted: false }) await ResumeAsync(cancellationToken).ConfigureAwait(false);
        if (_rejoinPending && !loggingIn) await RejoinAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        await _resumeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed) throw new ObjectDisposedException(nameof(QuonceptConnection));
            if (_stream is { Ended.IsCompleted: false }) return;
            var endedAt = Interlocked.Read(ref _endedAt) is > 0 and var at ? at : Stopwatch.GetTimestamp();
            Exception? failure = null;
            foreach (var via in ResumeOrder())
            {
                try
                {
                    await DropAsync().ConfigureAwait(false);
                    await OpenThroughAsync(via, cancellationToken).ConfigureAwait(false);
                    _rejoinPending = _loggedIn;
                    Interlocked.Increment(ref _resumes);
                    Resumed?.Invoke(via.Address, Stopwatch.GetElapsedTime(endedAt));
                    return;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsWorthRetrying(e))
                {
                    failure = e;
                }
            }
            throw failure ?? new RpcException(new Status(StatusCode.Unavailable, "no gateway to resume through"));
        }
        finally
        {
            _resumeLock.Release();
        }
    }

    /// <summary>One Login after a resume, however many callers (the resumer, retried requests) find it pending at once.</summary>
    private async Task RejoinAsync(CancellationToken cancellationToken)
    {
        await _rejoinLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_rejoinPending) return;
            var answer = await SendAsync(new ClientMessage { Login = new Login() }, cancellationToken).ConfigureAwait(false);
            if (answer.Value.BodyCase == ServerMessage.BodyOneofCase.Error)
            {
                throw new RequestFailedException(answer.Value.RequestId, answer.Value.Error.Code, answer.Value.Error.Message);
            }
            _rejoinPending = false;
        }
        finally
        {
            _rejoinLock.Release();
        }
    }

    /// <summary>Its own gateway first, unless that one said it is stopping; then the others in the order given.</summary>
    private List<QuonceptClient> ResumeOrder()
    {
        var all = _options.Gateways;
        var current = all.ToList().FindIndex(g => g.Address == GatewayAddress);
        var order = new List<QuonceptClient>();
        if (!GatewayShuttingDown) order.Add(current >= 0 ? all[current] : _origin);
        for (var i = 1; i <= all.Count; i++)
        {
            var next = all[(current + i) % all.Count];
            if (!order.Contains(next)) order.Add(next);
        }
        if (order.Count == 0) order.Add(_origin);
        return order;
    }

    private async Task OpenThroughAsync(QuonceptClient via, CancellationToken cancellationToken)
    {
        _gateway = via.Stub;
        _origin = via;
        GatewayAddress = via.Address;
        Terminated = null;
        await OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A stream its gateway ended because it is stopping, or that broke (the gateway vanished), is resumed at once
    /// through another gateway when the connection knows others: the client must be back within the grace period
    /// even when it has nothing to send.
    /// </summary>
    private void ResumeOnItsOwnIfItsGatewayWent(Status end)
    {
        if (_disposed || _options.Gateways.Count == 0) return;
        if (!GatewayShuttingDown && end.StatusCode != StatusCode.Unavailable) return;
        _ = Task.Run(async () =>
        {
            var retry = _options.Retry ?? RetryPolicy.Default;
            var started = Stopwatch.GetTimestamp();
            for (var attempt = 1; !_disposed && Stopwatch.GetElapsedTime(started) < retry.Budget; attempt++)
            {
                try
                {
                    await ResumeAsync(CancellationToken.None).ConfigureAwait(false);
                    if (_rejoinPending) await RejoinAsync(CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (IsWorthRetrying(e))
                {
                    await Task.Delay(retry.BackoffBefore(attempt + 1)).ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        });
    }

    /// <summary>What a later attempt may get past: the service or gateway restarting, the stream gone, no answer in time.</summary>
    private static bool IsWorthRetrying(Exception e) => e switch
    {
        RequestFailedException failed => failed.Code == ErrorCode.Unavailable,
        // OK: the stream ended under the request without a refusal (its gateway stopping, after Terminate{shutdown}).
        RpcException rpc => rpc.StatusCode is StatusCode.OK or StatusCode.Unavailable or StatusCode.Cancelled or StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded,
        TimeoutException or IOException or HttpRequestException => true,
        ObjectDisposedException => false,
        InvalidOperationException => true,
        _ => false,
    };
}
