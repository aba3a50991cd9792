using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// One (consumer group, topic) reader of <see cref="JetStreamPubSub"/>: finds the topic's stream, creates or updates
/// the group's pull consumer, and consumes it (NATS.Net keeps the pull requests topped up and survives reconnects).
/// Failures to find the stream or the server are logged and retried with back-off until the subscription ends.
/// </summary>
internal sealed class JetStreamSubscription : IAsyncDisposable
{
    private readonly JetStreamPubSub _owner;
    private readonly NatsJSContext _js;
    private readonly JetStreamPubSub.Settings _settings;
    private readonly ILogger _logger;
    private readonly string _topic;
    private readonly string _consumer;
    private readonly Func<PubSubMessage, CancellationToken, ValueTask> _handler;
    private readonly DeliveryWindow<ulong> _window;
    private readonly int _concurrency;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public JetStreamSubscription(JetStreamPubSub owner, NatsJSContext js, JetStreamPubSub.Settings settings, ILogger logger,
        string topic, string group, Func<PubSubMessage, CancellationToken, ValueTask> handler, int concurrency)
    {
        _owner = owner;
        _js = js;
        _settings = settings;
        _logger = logger;
        _topic = topic;
        _consumer = ConsumerName(settings.DurableName ?? "dapr", group, topic);
        _handler = handler;
        _concurrency = Math.Max(1, concurrency);
        _window = new DeliveryWindow<ulong>(_concurrency, logger, $"pubsub {owner.Name} (consumer {_consumer})");
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Consumer names may not hold '.', '*', '>', '/', '\' or white space.</summary>
    internal static string ConsumerName(string durable, string group, string topic)
    {
        var name = new StringBuilder($"{durable}-{group}-{topic}");
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] is '.' or '*' or '>' or '/' or '\\' || char.IsWhiteSpace(name[i]))
            {
                name[i] = '_';
            }
        }
        return name.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        // Deliveries cut short are not acked: JetStream hands them out again after ackWait.
        await _window.DrainAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var stream = _settings.StreamName ?? await StreamOfTopicAsync();
                var consumer = await _js.CreateOrUpdateConsumerAsync(stream, Config(), _stop.Token);
                failures = 0;
                // Short pull requests with heartbeats: after NATS restarts, the consumer notices within seconds and pulls again.
                var options = new NatsJSConsumeOpts { MaxMsgs = Math.Max(_concurrency, 16), Expires = TimeSpan.FromSeconds(10), IdleHeartbeat = TimeSpan.FromSeconds(2) };
                await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: options, cancellationToken: _stop.Token))
                {
                    await DispatchAsync(message);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is NatsException or TimeoutException or InvalidOperationException)
            {
                if (failures++ % 30 == 0)
                {
                    _logger.LogError("pubsub {Name}: cannot consume topic {Topic} ({Error}); retrying", _owner.Name, _topic, Explain(error));
                }
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * Math.Pow(2, Math.Min(failures, 5)))), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The stream whose subjects hold the topic, as daprd finds it when streamName is not set.</summary>
    private async Task<string> StreamOfTopicAsync()
    {
        await foreach (var name in _js.ListStreamNamesAsync(_topic, _stop.Token))
        {
            return name;
        }
        throw new InvalidOperationException($"no JetStream stream holds subject '{_topic}': create one, or set streamName (with createStreamSubjects)");
    }

    private async Task DispatchAsync(INatsJSMsg<byte[]> message)
    {
        var sequence = message.Metadata?.Sequence.Stream ?? 0;
        var headers = message.Headers;
        var published = BrokerMetadata.ToMessage(_topic, message.Data ?? [],
            key => headers is not null && headers.TryGetValue(key, out var value) ? value.ToString() : null);
        if (_settings.AckPolicy == ConsumerConfigAckPolicy.None)
        {
            await _window.StartAsync(sequence, published, _handler, () => Task.CompletedTask, _ => Task.CompletedTask, _stop.Token);
            return;
        }
        await _window.StartAsync(sequence, published, _handler,
            () => message.AckAsync().AsTask(),
            _ => _stop.IsCancellationRequested
                ? Task.CompletedTask
                : message.NakAsync(_settings.AckWait is { } delay ? new AckOpts { NakDelay = delay } : null).AsTask(),
            _stop.Token);
    }

    private ConsumerConfig Config()
    {
        var config = new ConsumerConfig(_consumer)
        {
            FilterSubject = _topic,
            AckPolicy = _settings.AckPolicy,
            DeliverPolicy = _settings.DeliverPolicy,
        };
        if (_settings.StartSequence > 0)
        {
            config.OptStartSeq = _settings.StartSequence;
        }
        if (_settings.StartTime is { } start)
        {
            config.OptStartTime = start;
        }
        if (_settings.AckWait is { } ackWait)
        {
            config.AckWait = ackWait;
        }
        if (_settings.MaxDeliver != 0)
        {
            config.MaxDeliver = _settings.MaxDeliver;
        }
        if (_settings.BackOff.Length > 0)
        {
            config.Backoff = _settings.BackOff;
        }
        if (_settings.MaxAckPending != 0)
        {
            config.MaxAckPending = _settings.MaxAckPending;
        }
        if (_settings.Replicas > 0)
        {
            config.NumReplicas = _settings.Replicas;
        }
        config.MemStorage = _settings.MemoryStorage;
        // Without a durableName a consumer left behind (a {uuid} group of a runtime that is gone) is removed after an hour.
        if (_settings.DurableName is null)
        {
            config.InactiveThreshold = TimeSpan.FromHours(1);
        }
        return config;
    }

    private string Explain(Exception error) => error is NatsJSApiException { Error.Code: 404 } && _settings.StreamName is null
        ? $"no JetStream stream holds subject '{_topic}': create one, or set streamName (with createStreamSubjects)"
        : error.Message;
}
