namespace Quoncept.Dapr;

/// <summary>
/// A CloudEvents 1.0 envelope the caller builds itself; published with
/// <c>Content-Type: application/cloudevents+json</c> so the sidecar forwards it as-is
/// (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-cloudevents/).
/// </summary>
public sealed class CloudEvent<TData>
{
    public CloudEvent(TData data) => Data = data;

    public string Id { get; init; } = Guid.NewGuid().ToString("N");
    public Uri? Source { get; init; }
    public string? Type { get; init; }
    public string? Subject { get; init; }
    public string DataContentType { get; init; } = "application/json";
    public TData Data { get; }
}
