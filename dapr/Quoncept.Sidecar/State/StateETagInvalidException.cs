using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.State;

/// <summary>The etag given is not in the store's format: HTTP 400.</summary>
internal sealed class StateETagInvalidException(string key, string etag)
    : DaprApiException(400, "ERR_STATE_ETAG_INVALID", $"invalid etag '{etag}' for key {StateKeys.UserKey(key)}");
