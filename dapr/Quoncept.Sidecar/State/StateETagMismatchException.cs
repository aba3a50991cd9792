using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.State;

/// <summary>The etag given does not match the stored one (or first-write found the key present): HTTP 409.</summary>
internal sealed class StateETagMismatchException(string key)
    : DaprApiException(409, "ERR_STATE_ETAG_MISMATCH", $"possible etag mismatch for key {StateKeys.UserKey(key)}: the etag does not match the stored one");
