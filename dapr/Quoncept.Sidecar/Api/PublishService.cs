using System.Diagnostics;
using System.Globalization;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.Metrics;
using Quoncept.Sidecar.PubSub;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// Publishing (https://docs.dapr.io/reference/api/pubsub_api/) behind both transports: a payload is
/// wrapped in a CloudEvent carrying the current trace context, unless <c>metadata.rawPayload=true</c>;
/// <c>metadata.cloudevent.*</c> overrides its attributes (<see cref="CloudEventOverrides"/>);
/// <c>metadata.ttlInSeconds</c> sets an expiration. Errors are daprd's, with its HTTP and gRPC codes.
/// </summary>
internal sealed class PublishService(ComponentRegistry components, TimeProvider time)
{
    /// <summary>The pubsub the caller may publish to, checked in daprd's order (configured, name, found, topic).</summary>
    public IPubSub Resolve(AppInstance caller, string pubsubName, string? topic)
    {
        var pubsub = components.GetPubSub(pubsubName, caller.AppId);
        return string.IsNullOrEmpty(topic) ? throw DaprErrors.TopicEmpty(pubsubName) : pubsub;
    }

    public async Task PublishAsync(AppInstance caller, string pubsubName, string? topic, byte[] payload, string? contentType,
        IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var pubsub = Resolve(caller, pubsubName, topic);
        var message = BuildMessage(caller.AppId, pubsubName, topic!, payload, contentType, metadata, time);
        var start = Stopwatch.GetTimestamp();
        try
        {
            await pubsub.PublishAsync(message, cancellationToken);
            RuntimeMetrics.Published(caller.AppId, pubsubName, topic!, start, null);
        }
        catch (Exception error) when (error is not OperationCanceledException and not DaprApiException)
        {
            RuntimeMetrics.Published(caller.AppId, pubsubName, topic!, start, error.GetType().Name);
            throw DaprErrors.PublishFailed(pubsubName, topic!, error);
        }
    }

    /// <summary>
    /// Publishes every entry; returns those that failed with their error (empty when all went out).
    /// An entry without an id, or with an id used twice, fails the whole request before anything is published.
    /// </summary>
    public async Task<IReadOnlyList<(string EntryId, string Error)>> BulkPublishAsync(AppInstance caller, string pubsubName, string? topic,
        IReadOnlyList<BulkPublishItem> entries, IReadOnlyDictionary<string, string> requestMetadata, CancellationToken cancellationToken)
    {
        var pubsub = Resolve(caller, pubsubName, topic);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var messages = new List<(string EntryId, PubSubMessage Message)>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.EntryId.Length == 0 || !seen.Add(entry.EntryId))
            {
                throw DaprErrors.BulkEntryInvalid(pubsubName, topic!,
                    entry.EntryId.Length == 0 ? "entryId is not present for an entry" : $"entryId '{entry.EntryId}' is duplicated");
            }
            var metadata = new Dictionary<string, string>(requestMetadata, StringComparer.Ordinal);
            foreach (var (key, value) in entry.Metadata)
            {
                metadata[key] = value;
            }
            messages.Add((entry.EntryId, BuildMessage(caller.AppId, pubsubName, topic!, entry.Event, entry.ContentType, metadata, time)));
        }
        var failed = new List<(string EntryId, string Error)>();
        foreach (var (entryId, message) in messages)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await pubsub.PublishAsync(message, cancellationToken);
                RuntimeMetrics.Published(caller.AppId, pubsubName, topic!, start, null);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                RuntimeMetrics.Published(caller.AppId, pubsubName, topic!, start, error.GetType().Name);
                failed.Add((entryId, error.Message));
            }
        }
        return failed;
    }

    internal static PubSubMessage BuildMessage(string appId, string pubsubName, string topic, byte[] payload, string? contentType,
        IReadOnlyDictionary<string, string> metadata, TimeProvider time)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? expiresAt = null;
        if (metadata.TryGetValue("ttlInSeconds", out var ttlText))
        {
            if (!int.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
            {
                throw DaprErrors.Malformed($"metadata ttlInSeconds '{ttlText}' is not a positive whole number of seconds");
            }
            expiresAt = now.AddSeconds(seconds);
        }
        var activity = Activity.Current;
        var raw = metadata.TryGetValue("rawPayload", out var rawText) && bool.TryParse(rawText, out var rawFlag) && rawFlag;
        if (raw)
        {
            return new PubSubMessage(topic, payload, string.IsNullOrEmpty(contentType) ? "application/octet-stream" : contentType, true, expiresAt)
            {
                TraceParent = activity?.Id,
                TraceState = activity?.TraceStateString,
            };
        }
        var context = new EnvelopeContext(appId, pubsubName, topic, now, activity?.Id, activity?.TraceStateString, expiresAt);
        if (CloudEvents.MediaType(contentType) != CloudEvents.ContentType)
        {
            // daprd applies the overrides only to the envelopes it writes; a CloudEvent sent whole keeps its own attributes.
            context = CloudEventOverrides.From(metadata).ApplyTo(context);
        }
        var envelope = CloudEvents.Wrap(payload, string.IsNullOrEmpty(contentType) ? null : contentType, context);
        // Deliveries continue the trace the envelope names, as daprd's subscriber reads it from the envelope.
        return new PubSubMessage(topic, envelope, CloudEvents.ContentType, false, expiresAt)
        {
            TraceParent = context.TraceParent,
            TraceState = context.TraceState,
        };
    }
}
