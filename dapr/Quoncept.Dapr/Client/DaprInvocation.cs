using System.Net.Http.Json;
using System.Text.Json;

namespace Quoncept.Dapr;

/// <summary>Service-invocation plumbing shared by every <see cref="DaprClient"/>: request tagging and response checks.</summary>
internal static class DaprInvocation
{
    public static readonly HttpRequestOptionsKey<string> AppIdKey = new("Quoncept.Dapr.AppId");
    public static readonly HttpRequestOptionsKey<string> MethodKey = new("Quoncept.Dapr.MethodName");

    /// <summary><c>{verb} /v1.0/invoke/{appId}/method/{methodName}</c>; the method keeps its slashes and query.</summary>
    public static string RelativePath(string appId, string methodName)
    {
        InvocationHandler.ValidateAppId(appId);
        ArgumentNullException.ThrowIfNull(methodName);
        return $"v1.0/invoke/{Uri.EscapeDataString(appId)}/method/{methodName.TrimStart('/')}";
    }

    public static void Tag(HttpRequestMessage request, string appId, string methodName)
    {
        request.Options.Set(AppIdKey, appId);
        request.Options.Set(MethodKey, methodName);
    }

    public static async Task EnsureSuccessAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var (errorCode, _) = DaprSidecar.ParseErrorBody(body);
        request.Options.TryGetValue(AppIdKey, out var appId);
        request.Options.TryGetValue(MethodKey, out var method);
        throw new InvocationException(appId ?? "?", method ?? request.RequestUri?.AbsolutePath ?? "?", response.StatusCode, errorCode, body);
    }

    public static async Task<TResponse> ReadJsonAsync<TResponse>(
        HttpRequestMessage request, HttpResponseMessage response, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<TResponse>(options, cancellationToken).ConfigureAwait(false))!;
        }
        catch (JsonException ex)
        {
            request.Options.TryGetValue(MethodKey, out var method);
            throw new DaprException($"The answer of '{method}' is not JSON of type {typeof(TResponse).Name}: {ex.Message}", ex);
        }
    }
}
