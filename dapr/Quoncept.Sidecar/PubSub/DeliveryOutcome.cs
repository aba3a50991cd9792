namespace Quoncept.Sidecar.PubSub;

/// <summary>What the app said about a delivery (https://docs.dapr.io/reference/api/pubsub_api/#expected-http-response).</summary>
internal enum DeliveryOutcome
{
    Success,
    Retry,
    Drop,
}
