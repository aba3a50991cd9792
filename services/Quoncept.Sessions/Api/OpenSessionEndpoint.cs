using System.Text.Json;
using Quoncept.Contracts;
using Dapr.Actors;
using Dapr.Actors.Client;
using Quoncept.Sessions.Directory;
using Quoncept.Sessions.Tokens;

namespace Quoncept.Sessions.Api;

/// <summary>
/// POST /sessions (service invocation method <see cref="SessionsApi.OpenSessionMethod"/>):
/// body {"username": "..."} -> 200 <see cref="SessionGrant"/>; 400 malformed body or username,
/// 415 not JSON, 404 unknown username, each with a <see cref="Failure"/> body.
/// </summary>
internal static class OpenSessionEndpoint
{
    public static IEndpointConventionBuilder MapOpenSession(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/" + SessionsApi.OpenSessionMethod, HandleAsync);

    private static async Task<IResult> HandleAsync(HttpRequest http, UserDirectory users, IActorProxyFactory actors, SessionTokenIssuer tokens, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, FailureCode.InvalidArgument, "send the body as application/json: {\"username\": \"...\"}");
        }

        OpenSession? request;
        try
        {
            request = await http.ReadFromJsonAsync(ContractsJson.Default.OpenSession, cancellationToken);
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, FailureCode.InvalidArgument, "malformed JSON body: " + e.Message);
        }

        var username = request?.Username;
        if (string.IsNullOrEmpty(username) || username.Length > 64)
        {
            return Problem(StatusCodes.Status400BadRequest, FailureCode.InvalidArgument, "username must be 1..64 characters");
        }

        if (!users.TryGetCharacter(username, out var characterId))
        {
            return Problem(StatusCodes.Status404NotFound, FailureCode.NotFound, $"no user '{username}'");
        }

        var session = actors.CreateActorProxy<ISessionActor>(new ActorId(username), ActorTypes.Session);
        var started = await session.StartAsync(new StartSession(characterId));
        var (token, expiresAt) = tokens.Issue(username, characterId, started.SessionId);
        return Results.Json(new SessionGrant(started.SessionId, token, characterId, username, expiresAt), ContractsJson.Default.SessionGrant);
    }

    private static IResult Problem(int status, FailureCode code, string message) =>
        Results.Json(new Failure(code, message), ContractsJson.Default.Failure, statusCode: status);
}
