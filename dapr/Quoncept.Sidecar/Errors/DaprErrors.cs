using Grpc.Core;

namespace Quoncept.Sidecar.Errors;

/// <summary>
/// The Dapr errors this runtime returns, each with the HTTP status and the gRPC code daprd uses for it
/// (dapr/dapr pkg/api/errors, pkg/messages/predefined.go), and daprd's message where a caller may match it.
/// </summary>
internal static class DaprErrors
{
    public static DaprApiException Malformed(string message, Exception? inner = null) =>
        new(400, "ERR_MALFORMED_REQUEST", message, inner);

    public static DaprApiException BodyTooLarge(long limit) =>
        new(413, "ERR_MALFORMED_REQUEST", $"request body exceeds the limit of {limit} bytes");

    public static DaprApiException StateStoreNotFound(string name) =>
        new(400, "ERR_STATE_STORE_NOT_FOUND", $"state store {name} is not found") { GrpcReason = "DAPR_STATE_NOT_FOUND" };

    public static DaprApiException StateStoresNotConfigured(string name) =>
        new(500, "ERR_STATE_STORE_NOT_CONFIGURED", $"state store {name} is not configured")
        {
            GrpcStatus = StatusCode.FailedPrecondition,
            GrpcReason = "DAPR_STATE_NOT_CONFIGURED",
        };

    public static DaprApiException IllegalStateKey(string key) =>
        new(400, "ERR_MALFORMED_REQUEST", $"input key/keyPrefix '{key}' can't contain '||'") { GrpcReason = "DAPR_STATE_ILLEGAL_KEY" };

    /// <summary>A state store failed in a way that is not an etag error: 500, gRPC INTERNAL.</summary>
    public static DaprApiException StateOperationFailed(string errorCode, string message, Exception inner) =>
        new(500, errorCode, message, inner);

    /// <summary>A transaction operation other than upsert or delete: HTTP 400, gRPC UNIMPLEMENTED.</summary>
    public static DaprApiException UnsupportedStateOperation(string kind) =>
        new(400, "ERR_NOT_SUPPORTED_STATE_OPERATION", $"operation type {kind} not supported (use upsert or delete)")
        {
            GrpcStatus = StatusCode.Unimplemented,
        };

    public static DaprApiException ActorStateStoreMissing() =>
        new(500, "ERR_ACTOR_RUNTIME_NOT_FOUND",
            "the state store is not configured to use the actor runtime: set metadata actorStateStore: \"true\" on exactly one state store component");

    public static DaprApiException PubSubNotFound(string name) =>
        new(404, "ERR_PUBSUB_NOT_FOUND", $"pubsub {name} is not found")
        {
            GrpcStatus = StatusCode.InvalidArgument,
            GrpcReason = "DAPR_PUBSUB_NOT_FOUND",
        };

    public static DaprApiException PubSubNotConfigured(string name) =>
        new(404, "ERR_PUBSUB_NOT_CONFIGURED", $"pubsub {name} is not configured")
        {
            GrpcStatus = StatusCode.FailedPrecondition,
            GrpcReason = "DAPR_PUBSUB_NOT_CONFIGURED",
        };

    public static DaprApiException PubSubNameEmpty() =>
        new(404, "ERR_PUBSUB_EMPTY", "pubsub name is empty")
        {
            GrpcStatus = StatusCode.InvalidArgument,
            GrpcReason = "DAPR_PUBSUB_NAME_EMPTY",
        };

    public static DaprApiException TopicEmpty(string pubsub) =>
        new(404, "ERR_TOPIC_NAME_EMPTY", $"topic is empty in pubsub {pubsub}")
        {
            GrpcStatus = StatusCode.InvalidArgument,
            GrpcReason = "DAPR_PUBSUB_TOPIC_NAME_EMPTY",
        };

    /// <summary>A bulk publish entry daprd cannot turn into an event (no or a repeated entryId).</summary>
    public static DaprApiException BulkEntryInvalid(string pubsub, string topic, string reason) =>
        new(400, "ERR_PUBSUB_EVENTS_SER", $"error marshaling events to bytes for topic {topic} pubsub {pubsub}. error: {reason}")
        {
            GrpcReason = "DAPR_PUBSUB_MARSHAL_EVENTS",
        };

    public static DaprApiException PublishFailed(string pubsub, string topic, Exception inner) =>
        new(500, "ERR_PUBSUB_PUBLISH_MESSAGE", $"error when publishing to topic {topic} in pubsub {pubsub}: {inner.Message}", inner)
        {
            GrpcReason = "DAPR_PUBSUB_PUBLISH_MESSAGE",
        };

    /// <summary>daprd's gRPC bulk publish: any entry that did not go out fails the call (its failed-entries list stays empty).</summary>
    public static DaprApiException BulkPublishFailed(string pubsub, string topic, IReadOnlyList<(string EntryId, string Error)> failed, int entries) =>
        new(500, "ERR_PUBSUB_PUBLISH_MESSAGE",
            $"error when publishing to topic {topic} in pubsub {pubsub}: {failed.Count} of {entries} entries failed: " +
            string.Join("; ", failed.Select(f => $"entry {f.EntryId}: {f.Error}")))
        {
            GrpcReason = "DAPR_PUBSUB_PUBLISH_MESSAGE",
        };

    public static DaprApiException DirectInvokeNoAppId() =>
        new(400, "ERR_DIRECT_INVOKE", "failed getting app id either from the URL path or the header dapr-app-id") { GrpcStatus = StatusCode.NotFound };

    public static DaprApiException AppNotFound(string appId) =>
        new(500, "ERR_DIRECT_INVOKE", $"failed to invoke, id: {appId}, err: app {appId} is not known to this runtime");

    public static DaprApiException AppUnavailable(string appId, string reason) =>
        new(500, "ERR_DIRECT_INVOKE", $"failed to invoke, id: {appId}, err: {reason}");

    public static DaprApiException NotFound(string path) =>
        new(404, "ERR_NOT_FOUND", $"the path {path} is not part of the Dapr HTTP API served here");
}
