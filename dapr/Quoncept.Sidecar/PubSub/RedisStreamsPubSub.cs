using System.Globalization;
using System.Text.Json;
using Quoncept.Sidecar.Components;
using StackExchange.Redis;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// <c>pubsub.redis</c> on Redis Streams (https://docs.dapr.io/reference/components-reference/supported-pubsub/setup-redis-pubsub/),
/// laid out as daprd lays it out: one stream per topic, entries <c>{data, metadata}</c>, one consumer group per
/// <c>consumerID</c> created at the stream's start ("0"), the group's name also its consumer's name. A message is
/// acknowledged (XACK) only once its delivery is settled; one left pending (the runtime stopped or crashed, or
/// delivery failed) is claimed again once idle for <c>processingTimeout</c>, checked every <c>redeliverInterval</c>,
/// so it arrives after a restart too. Readers never block the shared connection: a publish here also sends a
/// wake-up on a Redis channel, and readers poll once a second for entries added by anyone else (daprd).
/// </summary>
internal sealed class RedisStreamsPubSub : IPubSub
{

    private readonly ConnectionMultiplexer _connection;
    private readonly Settings _settings;
    private readonly ILogger _logger;

    private RedisStreamsPubSub(string name, ConnectionMultiplexer connection, Settings settings, ILogger logger)
    {
        Name = name;
        _connection = connection;
        _settings = settings;
        _logger = logger;
    }

    public string Name { get; }

    public bool AcknowledgesOnCompletion => true;

    /// <summary>How often a reader looks for entries nobody woke it for (added by daprd, or a wake-up lost with the connection).</summary>
    internal TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Metadata: the Redis connection fields, <c>processingTimeout</c> (60s; 0 turns redelivery off),
    /// <c>redeliverInterval</c> (15s; 0 turns redelivery off), <c>queueDepth</c> (entries read at once, 100),
    /// <c>concurrency</c> (deliveries in flight per subscription; default the runtime's), <c>maxLenApprox</c>,
    /// <c>streamTTL</c> (trimming, one or the other), <c>consumerID</c> (the group, read by the runtime).
    /// </summary>
    public static RedisStreamsPubSub Create(ComponentDefinition definition, ILogger logger)
    {
        var metadata = ComponentMetadata.Check(definition,
            [.. RedisConnector.Fields, "processingTimeout", "redeliverInterval", "queueDepth", "concurrency", "maxLenApprox", "streamTTL"],
            RedisConnector.RefusedFields);
        var settings = new Settings(
            metadata.Duration("processingTimeout", TimeSpan.FromSeconds(60), TimeSpan.Zero),
            metadata.Duration("redeliverInterval", TimeSpan.FromSeconds(15), TimeSpan.Zero),
            (int)metadata.Integer("queueDepth", 100, 1, 100_000),
            metadata.Text("concurrency") is null ? null : (int)metadata.Integer("concurrency", 10, 1, 10_000),
            metadata.Integer("maxLenApprox", 0, 0),
            metadata.Duration("streamTTL", TimeSpan.Zero, TimeSpan.Zero));
        if (settings.MaxLenApprox > 0 && settings.StreamTtl > TimeSpan.Zero)
        {
            throw metadata.Error("streamTTL", "and maxLenApprox both trim the stream; set one of them");
        }
        return new RedisStreamsPubSub(definition.Name, RedisConnector.Connect(metadata, logger), settings, logger);
    }

    public async ValueTask PublishAsync(PubSubMessage message, CancellationToken cancellationToken)
    {
        List<object> args = [message.Topic];
        if (_settings.MaxLenApprox > 0)
        {
            args.AddRange(["MAXLEN", "~", _settings.MaxLenApprox]);
        }
        else if (_settings.StreamTtl > TimeSpan.Zero)
        {
            var oldest = DateTimeOffset.UtcNow - _settings.StreamTtl;
            args.AddRange(["MINID", "~", $"{oldest.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}-1"]);
        }
        args.AddRange(["*", "data", message.Data.ToArray(), "metadata", JsonSerializer.Serialize(BrokerMetadata.From(message))]);
        var database = _connection.GetDatabase();
        await database.ExecuteAsync("XADD", args);
        await _connection.GetSubscriber().PublishAsync(WakeChannel(message.Topic), "", CommandFlags.FireAndForget);
    }

    public IAsyncDisposable Subscribe(string topic, string consumerGroup, Func<PubSubMessage, CancellationToken, ValueTask> handler, int concurrency) =>
        new StreamSubscription(this, topic, consumerGroup, handler, _settings.Concurrency ?? concurrency);

    public async ValueTask DisposeAsync() => await _connection.CloseAsync();

    private static RedisChannel WakeChannel(string topic) => RedisChannel.Literal("dapr-stream-added:" + topic);

    private sealed record Settings(TimeSpan ProcessingTimeout, TimeSpan RedeliverInterval, int QueueDepth, int? Concurrency, long MaxLenApprox, TimeSpan StreamTtl);

    /// <summary>One (topic, consumer group) reader: a read loop for new entries and a sweep for pending ones.</summary>
    private sealed class StreamSubscription : IAsyncDisposable
    {
        private readonly RedisStreamsPubSub _owner;
        private readonly string _topic;
        private readonly string _group;
        private readonly Func<PubSubMessage, CancellationToken, ValueTask> _handler;
        private readonly DeliveryWindow<string> _window;
        private readonly System.Threading.Channels.Channel<bool> _wake = System.Threading.Channels.Channel.CreateBounded<bool>(
            new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reading;
        private readonly Task _reclaiming;
        private readonly Action<RedisChannel, RedisValue> _onWake;
        private bool _wakeSubscribed;
        private bool _groupReady;

        public StreamSubscription(RedisStreamsPubSub owner, string topic, string group, Func<PubSubMessage, CancellationToken, ValueTask> handler, int concurrency)
        {
            _owner = owner;
            _topic = topic;
            _group = group;
            _handler = handler;
            _window = new DeliveryWindow<string>(concurrency, owner._logger, $"pubsub {owner.Name} (group {group})");
            _onWake = (_, _) => _wake.Writer.TryWrite(true);
            _reading = Task.Run(ReadLoopAsync);
            _reclaiming = owner._settings.ProcessingTimeout > TimeSpan.Zero && owner._settings.RedeliverInterval > TimeSpan.Zero
                ? Task.Run(ReclaimLoopAsync)
                : Task.CompletedTask;
        }

        private IDatabase Database => _owner._connection.GetDatabase();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_reading, _reclaiming);
            // Only this subscription's handler: others on the same topic keep their wake-ups.
            await _owner._connection.GetSubscriber().UnsubscribeAsync(WakeChannel(_topic), _onWake, CommandFlags.FireAndForget);
            // Deliveries cut short stay pending in the group and are claimed again after processingTimeout.
            await _window.DrainAsync(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }

        private async Task ReadLoopAsync()
        {
            var failures = 0;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    if (!_groupReady)
                    {
                        await EnsureGroupAsync();
                    }
                    var entries = await Database.StreamReadGroupAsync(_topic, _group, _group, StreamPosition.NewMessages, _owner._settings.QueueDepth);
                    failures = 0;
                    if (entries.Length == 0)
                    {
                        await WaitForEntriesAsync();
                        continue;
                    }
                    await DispatchAsync(entries);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (RedisServerException error) when (error.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
                {
                    _owner._logger.LogWarning("pubsub {Name}: consumer group {Group} of stream {Topic} is gone (Redis lost data, or it was deleted); creating it again",
                        _owner.Name, _group, _topic);
                    _groupReady = false;
                }
                catch (Exception error) when (error is RedisException or TimeoutException)
                {
                    if (failures++ == 0)
                    {
                        _owner._logger.LogWarning("pubsub {Name}: reading stream {Topic} failed ({Error}); retrying with back-off", _owner.Name, _topic, error.Message);
                    }
                    await Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * Math.Pow(2, Math.Min(failures, 6)))));
                }
            }
        }

        private async Task EnsureGroupAsync()
        {
            if (!_wakeSubscribed)
            {
                await _owner._connection.GetSubscriber().SubscribeAsync(WakeChannel(_topic), _onWake);
                _wakeSubscribed = true;
            }
            try
            {
                await Database.StreamCreateConsumerGroupAsync(_topic, _group, "0-0", createStream: true);
            }
            catch (RedisServerException error) when (error.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
            }
            _groupReady = true;
        }

        private async Task WaitForEntriesAsync()
        {
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            poll.CancelAfter(_owner.PollInterval);
            try
            {
                await _wake.Reader.WaitToReadAsync(poll.Token);
                _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
            }
        }

        private async Task ReclaimLoopAsync()
        {
            var settings = _owner._settings;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    if (_groupReady)
                    {
                        await ReclaimAsync(settings);
                    }
                }
                catch (Exception error) when (error is RedisException or TimeoutException)
                {
                    _owner._logger.LogDebug("pubsub {Name}: claiming pending entries of {Topic} failed ({Error})", _owner.Name, _topic, error.Message);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                await Delay(_groupReady ? settings.RedeliverInterval : TimeSpan.FromMilliseconds(200));
            }
        }

        /// <summary>XAUTOCLAIM every entry idle for processingTimeout (Redis drops deleted ones from the pending list itself).</summary>
        private async Task ReclaimAsync(Settings settings)
        {
            RedisValue start = "0-0";
            do
            {
                var claimed = await Database.StreamAutoClaimAsync(_topic, _group, _group, (long)settings.ProcessingTimeout.TotalMilliseconds, start, settings.QueueDepth);
                var entries = claimed.ClaimedEntries.Where(e => !e.IsNull && !_window.IsInFlight(e.Id!)).ToArray();
                if (entries.Length > 0)
                {
                    _owner._logger.LogInformation("pubsub {Name}: redelivering {Count} entries of {Topic} left pending for over {Timeout}", _owner.Name, entries.Length, _topic, settings.ProcessingTimeout);
                    await DispatchAsync(entries);
                }
                start = claimed.NextStartId;
            }
            while (start != "0-0" && !_stop.IsCancellationRequested);
        }

        private async Task DispatchAsync(StreamEntry[] entries)
        {
            foreach (var entry in entries)
            {
                var id = entry.Id.ToString();
                var data = entry["data"];
                if (data.IsNull)
                {
                    _owner._logger.LogWarning("pubsub {Name}: stream {Topic} entry {Id} has no data field; acknowledged and skipped", _owner.Name, _topic, id);
                    await Database.StreamAcknowledgeAsync(_topic, _group, id);
                    continue;
                }
                var message = BrokerMetadata.ToMessage(_topic, (byte[])data!, Metadata(entry["metadata"]));
                await _window.StartAsync(id, message, _handler,
                    () => Database.StreamAcknowledgeAsync(_topic, _group, id),
                    _ => Task.CompletedTask,
                    _stop.Token);
            }
        }

        private static Func<string, string?> Metadata(RedisValue json)
        {
            if (json.IsNullOrEmpty)
            {
                return _ => null;
            }
            try
            {
                var map = JsonSerializer.Deserialize<Dictionary<string, string>>(json.ToString()) ?? [];
                return key => map.GetValueOrDefault(key);
            }
            catch (JsonException)
            {
                return _ => null;
            }
        }

        private async Task Delay(TimeSpan delay)
        {
            try
            {
                await Task.Delay(delay, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
