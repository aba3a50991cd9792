using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// Bulk delivery to one app instance (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-bulk/):
/// events waiting for the same route are sent together as
/// <c>{"id","pubsubname","topic","type","metadata":{},"entries":[{"entryId","event","contentType","metadata":{}}]}</c>;
/// the app answers <c>{"statuses":[{"entryId","status":"SUCCESS"|"RETRY"|"DROP"}]}</c>. An entry the
/// app does not mention, a non-2xx answer or no answer means RETRY for the entries concerned; 404 drops
/// without dead-lettering, DROP dead-letters (as for a single event).
/// Each event's retries and dead-lettering stay with <see cref="TopicDelivery"/>.
/// </summary>
internal sealed class BulkDelivery : IAsyncDisposable
{
    private readonly AppInstance _instance;
    private readonly SubscriptionSpec _spec;
    private readonly BulkSubscribeOptions _options;
    private readonly TimeSpan _attemptTimeout;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ILogger _logger;

    // Events admitted but not yet settled (delivered, dropped or given up on). Never disposed: deliveries still
    // finishing after the subscription ends release into it.
    private readonly SemaphoreSlim _inFlight;

    public BulkDelivery(AppInstance instance, SubscriptionSpec spec, BulkSubscribeOptions options, TimeSpan attemptTimeout, ILogger logger)
    {
        _instance = instance;
        _spec = spec;
        _options = options;
        _attemptTimeout = attemptTimeout;
        _logger = logger;
        _inFlight = new SemaphoreSlim(2 * options.MaxMessagesCount);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// The topic handler for a bulk subscription, to be run by one reader of the topic: it waits for room
    /// (2 × maxMessagesCount events in flight, enough to fill a batch while the previous one is answered), starts
    /// <paramref name="deliver"/> for the event and returns without waiting for its outcome. <c>deliver</c>
    /// (<see cref="TopicDelivery.HandleAsync"/>) queues the event here before its first await, so events enter
    /// batches in the order the topic hands them out; retries come back later, as for single deliveries.
    /// </summary>
    public Func<PubSubMessage, CancellationToken, ValueTask> Admitting(Func<PubSubMessage, CancellationToken, ValueTask> deliver) =>
        async (message, stop) =>
        {
            await _inFlight.WaitAsync(stop);
            _ = SettleAsync(deliver, message, stop);
        };

    private async Task SettleAsync(Func<PubSubMessage, CancellationToken, ValueTask> deliver, PubSubMessage message, CancellationToken stop)
    {
        try
        {
            await deliver(message, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            _logger.LogError(error, "topic {Topic}: bulk delivery to {Instance} failed; message dropped", message.Topic, _instance.InstanceId);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    public async Task<(DeliveryOutcome, string)> SendAsync(string path, ReadOnlyMemory<byte> body, string contentType, CancellationToken cancellationToken)
    {
        var pending = new Pending(path, body, contentType, Guid.NewGuid().ToString());
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await using (cancellationToken.Register(() => pending.Done.TrySetCanceled(cancellationToken)))
        {
            return await pending.Done.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetResult((DeliveryOutcome.Retry, "subscription ended"));
        }
        _stop.Dispose();
    }

    // One loop per (subscription, instance), so batches to an instance go one at a time, in queue order. It sends what
    // is queued as soon as there is something: with maxAwaitDurationMs 0 at once (greedy: what arrives while a
    // request is in flight goes in the next one), otherwise after waiting up to that long for the batch to fill.
    private async Task RunAsync()
    {
        var batch = new List<Pending>(_options.MaxMessagesCount);
        while (await _queue.Reader.WaitToReadAsync(_stop.Token))
        {
            TakeQueued(batch);
            if (batch.Count < _options.MaxMessagesCount && _options.MaxAwaitDurationMs > 0)
            {
                using var window = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                window.CancelAfter(_options.MaxAwaitDurationMs);
                while (batch.Count < _options.MaxMessagesCount && await MoreWithinAsync(window.Token))
                {
                    TakeQueued(batch);
                }
            }
            foreach (var group in batch.GroupBy(p => p.Path))
            {
                await PostAsync(group.Key, group.ToList());
            }
            batch.Clear();
        }
    }

    private void TakeQueued(List<Pending> batch)
    {
        while (batch.Count < _options.MaxMessagesCount && _queue.Reader.TryRead(out var next))
        {
            batch.Add(next);
        }
    }

    /// <summary>True when more is queued before <paramref name="window"/> closes; a closed window is not an error.</summary>
    private async Task<bool> MoreWithinAsync(CancellationToken window)
    {
        var wait = _queue.Reader.WaitToReadAsync(window).AsTask();
        await ((Task)wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return wait.IsCompletedSuccessfully && wait.Result;
    }

    private async Task PostAsync(string path, List<Pending> entries)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_attemptTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, DaprPath.ForApp(path)) { Content = new ReadOnlyMemoryContent(Serialize(entries)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("pubsubname", _spec.PubSubName);
            using var response = await _instance.Channel!.SendAsync(request, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                Complete(entries, (DeliveryOutcome.Discard, $"answered 404 for {path}"));
                return;
            }
            if (!response.IsSuccessStatusCode)
            {
                Complete(entries, (DeliveryOutcome.Retry, $"HTTP {(int)response.StatusCode}"));
                return;
            }
            var statuses = ParseStatuses(await response.Content.ReadAsByteArrayAsync(timeout.Token));
            foreach (var entry in entries)
            {
                entry.Done.TrySetResult(statuses.TryGetValue(entry.EntryId, out var status)
                    ? TopicDelivery.ParseStatus(JsonSerializer.SerializeToUtf8Bytes(new { status }))
                    : (DeliveryOutcome.Retry, "the bulk answer has no status for this entry"));
            }
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException or JsonException)
        {
            Complete(entries, (DeliveryOutcome.Retry, error is OperationCanceledException ? "no answer in time" : error.Message));
        }
    }

    private ReadOnlyMemory<byte> Serialize(List<Pending> entries)
    {
        // Sized for the bodies (base64 for the binary ones) and each entry's fields, so the request is written into
        // one array and sent from it: no growing, no copy.
        var size = 512;
        foreach (var entry in entries)
        {
            size += entry.Body.Length * 4 / 3 + 4 + entry.EntryId.Length + entry.ContentType.Length + 96;
        }
        var buffer = new ArrayBufferWriter<byte>(size);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", Guid.NewGuid().ToString());
            json.WriteString("pubsubname", _spec.PubSubName);
            json.WriteString("topic", _spec.Topic);
            json.WriteString("type", CloudEvents.DefaultType);
            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteStartArray("entries");
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                json.WriteString("entryId", entry.EntryId);
                json.WritePropertyName("event");
                if (CloudEvents.IsJson(CloudEvents.MediaType(entry.ContentType)))
                {
                    json.WriteRawValue(entry.Body.Span, skipInputValidation: false);
                }
                else
                {
                    json.WriteBase64StringValue(entry.Body.Span);
                }
                json.WriteString("contentType", entry.ContentType);
                json.WriteStartObject("metadata");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    private static Dictionary<string, string> ParseStatuses(byte[] answer)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (answer.Length == 0)
        {
            return result;
        }
        using var document = JsonDocument.Parse(answer);
        if (JsonFields.Get(document.RootElement, "statuses") is { ValueKind: JsonValueKind.Array } statuses)
        {
            foreach (var status in statuses.EnumerateArray())
            {
                if (JsonFields.Get(status, "entryId") is { ValueKind: JsonValueKind.String } id
                    && JsonFields.Get(status, "status") is { ValueKind: JsonValueKind.String } value)
                {
                    result[id.GetString()!] = value.GetString()!;
                }
            }
        }
        return result;
    }

    private static void Complete(List<Pending> entries, (DeliveryOutcome, string) outcome)
    {
        foreach (var entry in entries)
        {
            entry.Done.TrySetResult(outcome);
        }
    }

    private sealed record Pending(string Path, ReadOnlyMemory<byte> Body, string ContentType, string EntryId)
    {
        public TaskCompletionSource<(DeliveryOutcome, string)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
