namespace Quoncept.Sidecar.Errors;

/// <summary>The Dapr error codes this runtime returns, each with the HTTP status daprd uses for it.</summary>
internal static class DaprErrors
{
    public static DaprApiException Malformed(string message, Exception? inner = null) =>
        new(400, "ERR_MALFORMED_REQUEST", message, inner);

    public static DaprApiException BodyTooLarge(long limit) =>
        new(413, "ERR_MALFORMED_REQUEST", $"request body exceeds the limit of {limit} bytes");

    public static DaprApiException StateStoreNotFound(string name) =>
        new(400, "ERR_STATE_STORE_NOT_FOUND", $"state store {name} is not found");

    public static DaprApiException StateStoresNotConfigured() =>
        new(500, "ERR_STATE_STORES_NOT_CONFIGURED", "state store is not configured");

    public static DaprApiException ActorStateStoreMissing() =>
        new(500, "ERR_ACTOR_RUNTIME_NOT_FOUND",
            "the state store is not configured to use the actor runtime: set metadata actorStateStore: \"true\" on exactly one state store component");

    public static DaprApiException PubSubNotFound(string name) =>
        new(404, "ERR_PUBSUB_NOT_FOUND", $"pubsub {name} is not found");

    public static DaprApiException PubSubNotConfigured() =>
        new(404, "ERR_PUBSUB_NOT_CONFIGURED", "no pubsub is configured");

    public static DaprApiException TopicEmpty(string pubsub) =>
        new(404, "ERR_TOPIC_NAME_EMPTY", $"topic is empty in pubsub {pubsub}");

    public static DaprApiException DirectInvokeNoAppId() =>
        new(400, "ERR_DIRECT_INVOKE", "failed getting app id either from the URL path or the header dapr-app-id");

    public static DaprApiException AppNotFound(string appId) =>
        new(500, "ERR_DIRECT_INVOKE", $"failed to invoke, id: {appId}, err: app {appId} is not known to this runtime");

    public static DaprApiException AppUnavailable(string appId, string reason) =>
        new(500, "ERR_DIRECT_INVOKE", $"failed to invoke, id: {appId}, err: {reason}");

    public static DaprApiException NotFound(string path) =>
        new(404, "ERR_NOT_FOUND", $"the path {path} is not part of the Dapr HTTP API served here");
}
