using System.Net;
using System.Text;
using System.Text.Json;
using Quoncept.Dapr.Actors.Runtime;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr.Actors.Client;

/// <summary>
/// The actor error contract, both ends. The host answers a failed method with a Dapr error body plus where it
/// came from: <c>{"errorCode","message","exceptionType","actorType","actorId","method"}</c>. daprd either passes
/// that through or wraps it in its own <c>ERR_ACTOR_INVOKE_METHOD</c> message; the proxy reads both.
/// </summary>
internal static class ActorInvocation
{
    public const string MethodFailedCode = "ERR_ACTOR_INVOKE_METHOD";

    public static ActorErrorWire ErrorBody(Exception ex, string actorType, string actorId, string methodName) => ex switch
    {
        ActorDispatchException d => new ActorErrorWire { ErrorCode = d.ErrorCode, Message = d.Message, ActorType = actorType, ActorId = actorId, Method = methodName },
        _ => new ActorErrorWire
        {
            // A Dapr failure inside the method (another actor's error, a sidecar error) keeps its code.
            ErrorCode = ex is DaprApiException api ? api.ErrorCode : MethodFailedCode,
            Message = ex.Message,
            ExceptionType = ex.GetType().FullName,
            ActorType = actorType,
            ActorId = actorId,
            Method = methodName,
        },
    };

    public static HttpStatusCode StatusFor(Exception ex) => ex is ActorDispatchException d ? d.StatusCode : HttpStatusCode.InternalServerError;

    public static ActorMethodInvocationException ToException(HttpStatusCode status, byte[] body, string actorType, string actorId, string methodName)
    {
        var error = TryParse(body);

        // daprd may wrap the host's body in its own message: "error invoke actor method: error from actor service: {...}".
        if (error is { ExceptionType: null } && error.Message.IndexOf('{', StringComparison.Ordinal) is var brace and >= 0 &&
            TryParse(Encoding.UTF8.GetBytes(error.Message[brace..])) is { } inner)
        {
            error = inner;
        }

        var message = error?.Message ?? (body.Length == 0 ? $"HTTP {(int)status} with an empty body" : DaprSidecar.Describe(Encoding.UTF8.GetString(body)));
        return new ActorMethodInvocationException(
            message, error?.ErrorCode ?? MethodFailedCode, status, actorType, actorId, methodName, error?.ExceptionType);
    }

    public static TResult DeserializeResult<TResult>(byte[] body, JsonSerializerOptions options, string actorType, string methodName)
    {
        if (body.Length == 0)
        {
            return default!;
        }

        try
        {
            return JsonSerializer.Deserialize<TResult>(body, options)!;
        }
        catch (JsonException ex)
        {
            throw new DaprException($"The result of {actorType}.{methodName} is not JSON of type {typeof(TResult).Name}: {ex.Message}", ex);
        }
    }

    public static object? DeserializeResult(byte[] body, Type type, JsonSerializerOptions options, string actorType, string methodName)
    {
        if (body.Length == 0)
        {
            return type.IsValueType ? Activator.CreateInstance(type) : null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, type, options);
        }
        catch (JsonException ex)
        {
            throw new DaprException($"The result of {actorType}.{methodName} is not JSON of type {type.Name}: {ex.Message}", ex);
        }
    }

    private static ActorErrorWire? TryParse(byte[] body)
    {
        if (body.Length == 0 || body[0] != (byte)'{')
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return root.Deserialize(DaprWireContext.Default.ActorErrorWire) is { } parsed
                ? parsed
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
