using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Quoncept.V1;

namespace Quoncept.Gateway.Limits;

/// <summary>
/// The per-stream, per-user and per-address limits of one gateway, on System.Threading.RateLimiting's
/// partitioned limiters (one replenishing timer for all partitions, idle partitions dropped): a token bucket
/// of requests per stream, a concurrency lease per open stream (per user and per address, held until the
/// stream ends) and a token bucket of session creations per address. A refusal names the limit and what to do.
/// </summary>
internal sealed class ClientLimits : IDisposable
{
    private readonly LimitOptions _options;
    private readonly PartitionedRateLimiter<string> _streamsPerUser;
    private readonly PartitionedRateLimiter<IPAddress> _streamsPerAddress;
    private readonly PartitionedRateLimiter<IPAddress> _sessionsPerAddress;
    private readonly PartitionedRateLimiter<string> _requestsPerStream;

    public ClientLimits(IOptions<LimitOptions> options)
    {
        _options = options.Value;
        _streamsPerUser = PartitionedRateLimiter.Create<string, string>(user =>
            RateLimitPartition.GetConcurrencyLimiter(user, _ => new ConcurrencyLimiterOptions { PermitLimit = _options.StreamsPerUser, QueueLimit = 0 }));
        _streamsPerAddress = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => IsExempt(address)
            ? RateLimitPartition.GetNoLimiter(IPAddress.Loopback)
            : RateLimitPartition.GetConcurrencyLimiter(address, _ => new ConcurrencyLimiterOptions { PermitLimit = _options.StreamsPerAddress, QueueLimit = 0 }));
        _sessionsPerAddress = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => IsExempt(address)
            ? RateLimitPartition.GetNoLimiter(IPAddress.Loopback)
            : RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = _options.SessionBurstPerAddress,
                TokensPerPeriod = _options.SessionsPerSecondPerAddress,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = false,
            }));
        _requestsPerStream = PartitionedRateLimiter.Create<string, string>(stream =>
            RateLimitPartition.GetTokenBucketLimiter(stream, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = _options.RequestBurst,
                TokensPerPeriod = _options.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = false,
            }));
    }

    /// <summary>The key of a stream's request bucket: per user and connection id, so that reconnecting does not refill it.</summary>
    public static string StreamKey(string username, string connectionId) => username + "/" + connectionId;

    /// <summary>
    /// Null when the stream may send this request now; else the answer refusing it (not applied; the stream stays
    /// open and the client may send it again, with the same request id, once under the rate).
    /// </summary>
    public ServerMessage? RefuseRequest(string streamKey)
    {
        using var lease = _requestsPerStream.AttemptAcquire(streamKey);
        return lease.IsAcquired
            ? null
            : ProtoMapping.Error(ErrorCode.ResourceExhausted,
                $"more than {_options.RequestsPerSecond} requests per second on this stream (limit Limits:RequestsPerSecond, burst {_options.RequestBurst}); slow down and send it again with the same request id");
    }

    /// <summary>The address the per-address limits count by: IPv4 for an IPv4-mapped IPv6 address, <see cref="IPAddress.None"/> when unknown.</summary>
    public static IPAddress Address(IPAddress? remote) =>
        remote is null ? IPAddress.None : remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;

    /// <summary>A stream's two leases (user, address), or the refusal; dispose the leases when the stream ends.</summary>
    public (IDisposable? Leases, string? Refusal) AdmitStream(string username, IPAddress address)
    {
        var user = _streamsPerUser.AttemptAcquire(username);
        if (!user.IsAcquired)
        {
            user.Dispose();
            return (null, $"user {username} already has {_options.StreamsPerUser} open streams on this gateway (limit Limits:StreamsPerUser); close one, or reconnect with the same connection id");
        }
        var from = _streamsPerAddress.AttemptAcquire(address);
        if (!from.IsAcquired)
        {
            from.Dispose();
            user.Dispose();
            return (null, $"{_options.StreamsPerAddress} streams are already open from {address} (limit Limits:StreamsPerAddress); close one first");
        }
        return (new Leases(user, from), null);
    }

    /// <summary>Null when a session may be created for a caller at <paramref name="address"/> now, else the refusal.</summary>
    public string? AdmitSession(IPAddress address)
    {
        using var lease = _sessionsPerAddress.AttemptAcquire(address);
        return lease.IsAcquired
            ? null
            : $"too many sessions created from {address}: at most {_options.SessionsPerSecondPerAddress} per second (limit Limits:SessionsPerSecondPerAddress); retry in a second";
    }

    public void Dispose()
    {
        _streamsPerUser.Dispose();
        _streamsPerAddress.Dispose();
        _sessionsPerAddress.Dispose();
        _requestsPerStream.Dispose();
    }

    private bool IsExempt(IPAddress address) => _options.ExemptLoopback && IPAddress.IsLoopback(address);

    private sealed class Leases(RateLimitLease user, RateLimitLease address) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            address.Dispose();
            user.Dispose();
        }
    }
}
