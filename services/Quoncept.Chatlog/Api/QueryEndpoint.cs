using Quoncept.Chatlog.Log;
using Quoncept.Contracts;

namespace Quoncept.Chatlog.Api;

internal static class QueryEndpoint
{
    public const string Route = "/chatlog";

    /// <summary>
    /// GET /chatlog?character=ID&amp;channel=NAME&amp;from=UNIXMS&amp;to=UNIXMS&amp;limit=N&amp;cursor=NEXT (every parameter optional):
    /// 200 <see cref="ChatLogPage"/> (lines newest first, "next" to continue); 400 <see cref="Failure"/> naming the
    /// parameter that is wrong. Served on the app port, and through the sidecar as
    /// /v1.0/invoke/chatlog/method/chatlog?... (service invocation).
    /// </summary>
    public static IEndpointConventionBuilder MapChatLogQuery(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Route, async (HttpRequest http, ChatLogReader reader, TimeProvider clock) =>
        {
            var (query, error) = ChatLogQuery.Parse(http.Query, clock.GetUtcNow().ToUnixTimeMilliseconds());
            if (query is null) return Results.Json(new Failure(FailureCode.InvalidArgument, error!), WireJson.Options, statusCode: StatusCodes.Status400BadRequest);
            return Results.Json(await reader.QueryAsync(query, http.HttpContext.RequestAborted), WireJson.Options);
        });
}
