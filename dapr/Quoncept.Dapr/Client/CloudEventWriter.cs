using System.Text.Json;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>Writes a <see cref="CloudEvent{TData}"/> in the CloudEvents 1.0 JSON format.</summary>
internal static class CloudEventWriter
{
    public const string ContentType = "application/cloudevents+json";

    // {"specversion":"1.0","id","source","type","subject","datacontenttype","data"}
    public static byte[] Serialize<TData>(CloudEvent<TData> cloudEvent, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var wire = new CloudEventWire
        {
            SpecVersion = "1.0",
            Id = cloudEvent.Id,
            Source = cloudEvent.Source?.ToString() ?? "quoncept",
            Type = cloudEvent.Type ?? "com.dapr.event.sent",
            Subject = cloudEvent.Subject,
            DataContentType = cloudEvent.DataContentType,
            Data = JsonSerializer.SerializeToElement(cloudEvent.Data, options),
        };
        return JsonSerializer.SerializeToUtf8Bytes(wire, DaprWireContext.Default.CloudEventWire);
    }
}
