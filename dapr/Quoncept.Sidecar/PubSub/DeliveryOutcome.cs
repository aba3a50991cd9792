namespace Quoncept.Sidecar.PubSub;

/// <summary>What the app said about a delivery (https://docs.dapr.io/reference/api/pubsub_api/#expected-http-response).</summary>
internal enum DeliveryOutcome
{
    Success,
    Retry,

    /// <summary>The app answered <c>{"status":"DROP"}</c>: daprd forwards it to the dead-letter topic if one is set (dapr/dapr#6282).</summary>
    Drop,

    /// <summary>The app answered 404 or has no app port: dropped without dead-lettering, as daprd does (dapr/dapr#9400).</summary>
    Discard,
}
