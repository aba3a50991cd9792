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
