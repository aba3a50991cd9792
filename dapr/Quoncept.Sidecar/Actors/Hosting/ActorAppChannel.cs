using System.Net.Http.Headers;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Actors.Hosting;

/// <summary>
/// The calls daprd makes into an actor host app (https://docs.dapr.io/reference/api/actors_api/#dapr-calling-to-user-service-code),
/// sent on the instance's app channel (which adds <c>traceparent</c>).
/// </summary>
internal static class ActorAppChannel
{
    public const string ReentrancyHeader = "Dapr-Reentrancy-Id";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    // Request headers that describe the connection or the body, not the call: never copied to the app.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection",
        "Content-Length", "Content-Type", "Expect", "traceparent", "tracestate", ReentrancyHeader,
    };

    /// <summary>
    /// <c>GET /dapr/config</c>: the actor types the app hosts. A 4xx (an app without the endpoint)
    /// means "no actors", as with daprd; a 5xx is worth asking again.
    /// </summary>
    public static async Task<ActorHostConfig> GetConfigAsync(AppInstance instance, CancellationToken cancellationToken)
    {
        using var response = await instance.Channel!.GetAsync("dapr/config", cancellationToken);
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            return ActorHostConfig.None;
        }
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new AppConfigUnavailableException($"/dapr/config answered {(int)response.StatusCode}");
        }
        if (!response.IsSuccessStatusCode)
        {
            return ActorHostConfig.None;
        }
        return ActorHostConfig.Parse(body);
    }

    /// <summary>
    /// <c>PUT /actors/{actorType}/{actorId}/method/{method}</c> (also <c>method/remind/{name}</c> and
    /// <c>method/timer/{name}</c>): the body and the caller's headers go to the app as they came.
    /// </summary>
    public static Task<HttpResponseMessage> InvokeAsync(
        ActorHost host, string actorType, string actorId, string methodPath, string? query,
        byte[] body, string? contentType, IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>? headers,
        string? reentrancyId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, ActorPath(actorType, actorId) + "/method/" + methodPath + query)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = string.IsNullOrEmpty(contentType)
            ? Json
            : MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed : Json;
        if (headers is not null)
        {
            foreach (var (name, values) in headers)
            {
                if (!NotForwarded.Contains(name))
                {
                    request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }
        }
        if (reentrancyId is not null)
        {
            request.Headers.TryAddWithoutValidation(ReentrancyHeader, reentrancyId);
        }
        return SendAsync(host.Channel, request, cancellationToken);
    }

    /// <summary><c>DELETE /actors/{actorType}/{actorId}</c>: the app deactivates (saves and drops) the actor.</summary>
    public static async Task DeactivateAsync(ActorHost host, string actorType, string actorId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, ActorPath(actorType, actorId));
        using var response = await host.Channel.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"error from actor service: ({(int)response.StatusCode}) {body}");
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient channel, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await channel.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
    }

    private static string ActorPath(string actorType, string actorId) =>
        "actors/" + Uri.EscapeDataString(actorType) + "/" + Uri.EscapeDataString(actorId);
}
