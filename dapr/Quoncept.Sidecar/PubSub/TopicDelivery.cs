using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Metrics;
using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tracing;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// Delivers one subscription's messages to one app instance
/// (https://docs.dapr.io/reference/api/pubsub_api/#provide-routes-for-dapr-to-deliver-topic-events):
/// <c>POST {route}</c> with the CloudEvent (<c>application/cloudevents+json</c>) and a <c>traceparent</c>
/// for the delivery span. 2xx with <c>{"status":"SUCCESS"}</c> or no status is done; <c>DROP</c> is not retried
/// and goes to the dead-letter topic if there is one (dapr/dapr#6282); <c>RETRY</c>, an unknown status, another
/// non-2xx or no answer is retried with back-off; 404 drops without dead-lettering, as daprd does (dapr/dapr#9400).
/// After the last attempt the message goes to the dead-letter topic, if there is one; without one, a broker that
/// acknowledges on completion (<see cref="IPubSub.AcknowledgesOnCompletion"/>) keeps it for redelivery.
/// </summary>
internal sealed class TopicDelivery(AppInstance instance, SubscriptionSpec spec, IPubSub pubsub, DeliveryPolicy policy, TimeProvider time, ILogger logger,
    BulkDelivery? bulk = null)
{
    public SubscriptionSpec Spec => spec;

    public async ValueTask HandleAsync(PubSubMessage message, CancellationToken stop)
    {
        if (message.ExpiresAt is { } expiry && expiry <= time.GetUtcNow())
        {
            logger.LogDebug("topic {Topic}: message expired before delivery to {Instance}; dropped", message.Topic, instance.InstanceId);
            return;
        }
        var (body, contentType) = Body(message);
        string? path;
        if (spec.Rules.Count == 0)
        {
            path = spec.DefaultPath;
        }
        else
        {
            // Rules see the envelope the app gets; a raw bulk entry is matched against the single delivery's raw envelope.
            using var envelope = JsonDocument.Parse(contentType == CloudEvents.ContentType ? body : RawEnvelope(message));
            path = spec.RouteFor(envelope.RootElement);
        }
        if (path is null)
        {
            logger.LogDebug("topic {Topic}: no route of {Instance} matches the event; dropped", message.Topic, instance.InstanceId);
            return;
        }
        SidecarTracing.TryParseParent(message.TraceParent, message.TraceState, out var parent);
        using var span = SidecarTracing.Source.StartActivity($"pubsub/{spec.PubSubName}/{message.Topic}", ActivityKind.Consumer, parent);
        span?.SetTag("messaging.destination.name", message.Topic);
        span?.SetTag("dapr.app_id", instance.AppId);
        for (var attempt = 1; attempt <= policy.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(policy.BackoffBefore(attempt), time, stop);
                if (message.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
                {
                    logger.LogWarning("topic {Topic}: message expired while retrying delivery to {Instance}; dropped", message.Topic, instance.InstanceId);
                    return;
                }
            }
            var sent = Stopwatch.GetTimestamp();
            var (outcome, reason) = await SendAsync(path, body, contentType, stop);
            RuntimeMetrics.Delivered(instance.AppId, spec.PubSubName, message.Topic, outcome switch
            {
                DeliveryOutcome.Success => "success",
                DeliveryOutcome.Retry => "retry",
                _ => "drop",
            }, sent);
            switch (outcome)
            {
                case DeliveryOutcome.Success:
                    return;
                case DeliveryOutcome.Drop when spec.DeadLetterTopic is { Length: > 0 } dropTarget:
                    logger.LogWarning("topic {Topic}: {Instance} {Reason}; message sent to dead-letter topic {DeadLetter}", message.Topic, instance.InstanceId, reason, dropTarget);
                    span?.SetTag("dapr.delivery", "dead-lettered");
                    await pubsub.PublishAsync(message with { Topic = dropTarget }, stop);
                    return;
                case DeliveryOutcome.Drop or DeliveryOutcome.Discard:
                    logger.LogWarning("topic {Topic}: {Instance} {Reason}; message dropped", message.Topic, instance.InstanceId, reason);
                    span?.SetTag("dapr.delivery", "dropped");
                    return;
                default:
                    logger.LogWarning("topic {Topic}: delivery {Attempt}/{Max} to {Instance}{Path} failed: {Reason}",
                        message.Topic, attempt, policy.MaxAttempts, instance.InstanceId, path, reason);
                    break;
            }
        }
        span?.SetStatus(ActivityStatusCode.Error, "retries exhausted");
        if (spec.DeadLetterTopic is { Length: > 0 } deadLetter)
        {
            logger.LogWarning("topic {Topic}: retries exhausted for {Instance}; message sent to dead-letter topic {DeadLetter}", message.Topic, instance.InstanceId, deadLetter);
            await pubsub.PublishAsync(message with { Topic = deadLetter }, stop);
        }
        else if (pubsub.AcknowledgesOnCompletion)
        {
            // The broker keeps the message and hands it out again later (Redis Streams after processingTimeout,
            // JetStream after its nak): only the app's SUCCESS (or DROP) settles it.
            throw new InvalidOperationException($"retries exhausted for {instance.InstanceId}; the broker redelivers it later");
        }
        else
        {
            logger.LogError("topic {Topic}: retries exhausted for {Instance} and no deadLetterTopic is set; message dropped", message.Topic, instance.InstanceId);
        }
    }

    /// <summary>
    /// A subscription with <c>rawPayload</c> gets the topic's bytes as daprd hands them over: inside its raw envelope
    /// (<see cref="CloudEvents.FromRawPayload"/>), or as a bulk entry's base64 <c>event</c> of type
    /// application/octet-stream. Otherwise a CloudEvent: the published one, or one made here for a raw publish.
    /// </summary>
    private (ReadOnlyMemory<byte> Body, string ContentType) Body(PubSubMessage message)
    {
        if (spec.RawPayload)
        {
            return bulk is null ? (RawEnvelope(message), CloudEvents.ContentType) : (message.Data, "application/octet-stream");
        }
        if (!message.Raw)
        {
            return (message.Data, message.ContentType);
        }
        return (CloudEvents.Wrap(message.Data.Span, message.ContentType, Context(message)), CloudEvents.ContentType);
    }

    private byte[] RawEnvelope(PubSubMessage message) =>
        CloudEvents.FromRawPayload(message.Data.Span, message.Topic, spec.PubSubName, message.TraceParent, message.TraceState);

    private EnvelopeContext Context(PubSubMessage message) =>
        new(instance.AppId, spec.PubSubName, message.Topic, time.GetUtcNow(), message.TraceParent, message.TraceState, message.ExpiresAt);

    private async Task<(DeliveryOutcome Outcome, string Reason)> SendAsync(string path, ReadOnlyMemory<byte> body, string contentType, CancellationToken stop)
    {
        if (instance.Channel is not { } channel)
        {
            return (DeliveryOutcome.Discard, "has no app port");
        }
        if (bulk is not null)
        {
            return await bulk.SendAsync(path, body, contentType, stop);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(policy.AttemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, DaprPath.ForApp(path))
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("pubsubname", spec.PubSubName);
        try
        {
            using var response = await channel.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (DeliveryOutcome.Discard, $"answered 404 for {path}");
            }
            if (!response.IsSuccessStatusCode)
            {
                return (DeliveryOutcome.Retry, $"HTTP {(int)response.StatusCode}");
            }
            var answer = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return ParseStatus(answer);
        }
        catch (Exception error) when (error is HttpRequestException || (error is OperationCanceledException && !stop.IsCancellationRequested))
        {
            return (DeliveryOutcome.Retry, error is OperationCanceledException ? $"no answer within {policy.AttemptTimeout.TotalSeconds:0.#}s" : error.Message);
        }
    }

    /// <summary><c>{"status": "SUCCESS" | "RETRY" | "DROP"}</c>; an empty or non-JSON body, or no status, is success.</summary>
    internal static (DeliveryOutcome, string) ParseStatus(ReadOnlySpan<byte> answer)
    {
        if (answer.IsEmpty)
        {
            return (DeliveryOutcome.Success, "");
        }
        try
        {
            var reader = new Utf8JsonReader(answer);
            if (!JsonDocument.TryParseValue(ref reader, out var document))
            {
                return (DeliveryOutcome.Success, "");
            }
            using (document)
            {
                if (JsonFields.Get(document.RootElement, "status") is not { ValueKind: not JsonValueKind.Undefined } status)
                {
                    return (DeliveryOutcome.Success, "");
                }
                var text = status.ValueKind == JsonValueKind.String ? status.GetString() ?? "" : status.GetRawText();
                return text.ToUpperInvariant() switch
                {
                    "SUCCESS" or "" => (DeliveryOutcome.Success, ""),
                    "RETRY" => (DeliveryOutcome.Retry, "app asked to RETRY"),
                    "DROP" => (DeliveryOutcome.Drop, "asked to DROP"),
                    _ => (DeliveryOutcome.Retry, $"unknown status '{text}' (SUCCESS, RETRY or DROP)"),
                };
            }
        }
        catch (JsonException)
        {
            return (DeliveryOutcome.Success, "");
        }
    }
}
