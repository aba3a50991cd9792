using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Dapr error body: <c>{"errorCode":"ERR_...","message":"..."}</c> (https://docs.dapr.io/reference/api/error_codes/).</summary>
internal sealed class DaprErrorBody
{
    [JsonPropertyName("errorCode")]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
