using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// With APP_API_TOKEN set, the sidecar presents it as <c>dapr-api-token</c> on every call to the app
/// (https://docs.dapr.io/operations/security/app-api-token/); anything else is refused with 401.
/// </summary>
internal sealed class AppApiTokenFilter(string? expected) : IEndpointFilter
{
    private readonly byte[]? _expected = expected is null ? null : Encoding.UTF8.GetBytes(expected);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_expected is not null)
        {
            var presented = Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers[DaprDefaults.DaprApiTokenHeader].ToString());
            if (!CryptographicOperations.FixedTimeEquals(presented, _expected))
            {
                return Results.Json(
                    new DaprErrorBody { ErrorCode = "ERR_APP_API_TOKEN", Message = "Missing or wrong dapr-api-token (APP_API_TOKEN is set)." },
                    DaprWireContext.Default.DaprErrorBody, statusCode: StatusCodes.Status401Unauthorized);
            }
        }

        return await next(context).ConfigureAwait(false);
    }
}
