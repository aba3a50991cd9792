using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Quoncept.Dapr.Actors.Client;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>Publish calls (https://docs.dapr.io/reference/api/pubsub_api/).</summary>
internal sealed partial class DaprHttpClient
{
    // POST /v1.0/publish/{pubsub}/{topic}?metadata.k=v, body = the event's data -> 204
    public override Task PublishEventAsync<TData>(
        string pubsubName, string topicName, TData data, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken = default) =>
        PublishCoreAsync(pubsubName, topicName, JsonSerializer.SerializeToUtf8Bytes(data, _sidecar.JsonOptions), "application/json", metadata, cancellationToken);

    public override Task PublishByteEventAsync(
        string pubsubName, string topicName, ReadOnlyMemory<byte> data, string dataContentType = "application/json",
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        PublishCoreAsync(pubsubName, topicName, data, dataContentType, metadata, cancellationToken);

    public override Task PublishCloudEventAsync<TData>(
        string pubsubName, string topicName, CloudEvent<TData> cloudEvent,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        PublishCoreAsync(pubsubName, topicName, CloudEventWriter.Serialize(cloudEvent, _sidecar.JsonOptions),
            CloudEventWriter.ContentType, metadata, cancellationToken);

    // POST /v1.0-alpha1/publish/bulk/{pubsub}/{topic}?metadata.k=v
    //   body   [{"entryId","event","contentType","metadata":{}}...]
    //   -> 204 all published, or 500 {"failedEntries":[{"entryId","error"}],"errorCode"} for a partial failure
    // (https://docs.dapr.io/reference/api/pubsub_api/#publish-multiple-messages-to-a-given-topic)
    public override async Task<BulkPublishResponse<TValue>> BulkPublishEventAsync<TValue>(
        string pubsubName, string topicName, IReadOnlyList<TValue> events,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pubsubName);
        ArgumentException.ThrowIfNullOrEmpty(topicName);
        ArgumentNullException.ThrowIfNull(events);
        var entries = new BulkPublishEntry<TValue>[events.Count];
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartArray();
            for (var i = 0; i < events.Count; i++)
            {
                entries[i] = new BulkPublishEntry<TValue>(i.ToString(System.Globalization.CultureInfo.InvariantCulture), events[i], "application/json");
                json.WriteStartObject();
                json.WriteString("entryId", entries[i].EntryId);
                json.WritePropertyName("event");
                JsonSerializer.Serialize(json, events[i], _sidecar.JsonOptions);
                json.WriteString("contentType", entries[i].ContentType);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }

        var path = new StringBuilder("v1.0-alpha1/publish/bulk/").Append(DaprSidecar.Escape(pubsubName)).Append('/').Append(DaprSidecar.Escape(topicName));
        DaprSidecar.AppendMetadata(path, metadata);
        using var request = _sidecar.CreateRequest(HttpMethod.Post, path.ToString());
        request.Content = DaprSidecar.JsonContent(body.ToArray());
        var operation = $"Bulk publish to '{pubsubName}/{topicName}'";
        using var response = await _sidecar.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return new BulkPublishResponse<TValue>([]);
        }

        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.InternalServerError && FailedEntries(answer, entries) is { Count: > 0 } failed)
        {
            return new BulkPublishResponse<TValue>(failed);
        }

        response.Content = new StringContent(answer);
        await DaprSidecar.ThrowIfFailedAsync(response, operation, cancellationToken).ConfigureAwait(false);
        throw new DaprException($"{operation} failed: HTTP {(int)response.StatusCode}");
    }

    /// <summary>The entries a 500 answer lists under "failedEntries"; empty when the body is not that shape.</summary>
    private static List<BulkPublishResponseFailedEntry<TValue>> FailedEntries<TValue>(string answer, BulkPublishEntry<TValue>[] entries)
    {
        var failed = new List<BulkPublishResponseFailedEntry<TValue>>();
        try
        {
            using var document = JsonDocument.Parse(answer);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("failedEntries", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return failed;
            }

            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("entryId", out var id) && id.ValueKind == JsonValueKind.String
                    && int.TryParse(id.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < entries.Length)
                {
                    var error = item.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "publish failed";
                    failed.Add(new BulkPublishResponseFailedEntry<TValue>(entries[index], error));
                }
            }
        }
        catch (JsonException)
        {
            failed.Clear();
        }

        return failed;
    }

    private async Task PublishCoreAsync(
        string pubsubName, string topicName, ReadOnlyMemory<byte> data, string contentType,
        IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pubsubName);
        ArgumentException.ThrowIfNullOrEmpty(topicName);
        var path = new StringBuilder("v1.0/publish/").Append(DaprSidecar.Escape(pubsubName)).Append('/').Append(DaprSidecar.Escape(topicName));
        DaprSidecar.AppendMetadata(path, metadata);
        using var request = _sidecar.CreateRequest(HttpMethod.Post, path.ToString());
        request.Content = new ReadOnlyMemoryContent(data);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _sidecar.SendCheckedAsync(request, $"Publish to '{pubsubName}/{topicName}'", cancellationToken).ConfigureAwait(false);
    }
}
