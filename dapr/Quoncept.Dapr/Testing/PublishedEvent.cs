using System.Text;
using System.Text.Json;

namespace Quoncept.Dapr.Testing;

/// <summary>An event published through the test host's <see cref="DaprClient"/>, in publish order.</summary>
public sealed class PublishedEvent
{
    private readonly JsonSerializerOptions _jsonOptions;

    internal PublishedEvent(string pubsubName, string topic, string contentType, byte[] data, IReadOnlyDictionary<string, string>? metadata, JsonSerializerOptions jsonOptions)
    {
        PubsubName = pubsubName;
        Topic = topic;
        ContentType = contentType;
        Data = data;
        Metadata = metadata ?? new Dictionary<string, string>();
        _jsonOptions = jsonOptions;
    }

    public string PubsubName { get; }

    public string Topic { get; }

    public string ContentType { get; }

    /// <summary>The bytes the sidecar would have received as the request body.</summary>
    public byte[] Data { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The data read as JSON of <typeparamref name="T"/> (for a CloudEvent publish, the envelope's data).</summary>
    public T DataAs<T>()
    {
        if (ContentType.StartsWith(CloudEventWriter.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            using var doc = JsonDocument.Parse(Data);
            return doc.RootElement.GetProperty("data").Deserialize<T>(_jsonOptions)!;
        }

        return JsonSerializer.Deserialize<T>(Data, _jsonOptions)!;
    }

    public override string ToString() => $"{PubsubName}/{Topic} {ContentType} {Encoding.UTF8.GetString(Data)}";
}
