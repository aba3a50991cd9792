using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>What the actor host answers when a method throws: a Dapr error body plus where it came from.</summary>
internal sealed class ActorErrorWire
{
    [JsonPropertyName("errorCode")]
    public required string ErrorCode { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }

    [JsonPropertyName("exceptionType")]
    public string? ExceptionType { get; init; }

    [JsonPropertyName("actorType")]
    public string? ActorType { get; init; }

    [JsonPropertyName("actorId")]
    public string? ActorId { get; init; }

    [JsonPropertyName("method")]
    public string? Method { get; init; }
}
