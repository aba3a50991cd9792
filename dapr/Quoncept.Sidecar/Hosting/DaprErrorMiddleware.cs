using Microsoft.AspNetCore.Http.Features;
using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// Turns every failure under an endpoint into a Dapr error response through <see cref="DaprErrorWriter"/>:
/// <see cref="DaprApiException"/> as given, an oversized body as 413, anything unexpected as 500
/// (logged); the runtime keeps serving.
/// </summary>
internal sealed class DaprErrorMiddleware(RequestDelegate next, ILogger<DaprErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (DaprApiException error)
        {
            await DaprErrorWriter.WriteAsync(context, error);
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0;
            await DaprErrorWriter.WriteAsync(context, DaprErrors.BodyTooLarge(limit));
        }
        catch (BadHttpRequestException error)
        {
            await DaprErrorWriter.WriteAsync(context, DaprErrors.Malformed(error.Message, error));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nobody is left to answer.
        }
        catch (Exception error)
        {
            logger.LogError(error, "unexpected failure serving {Method} {Path}", context.Request.Method, context.Request.Path);
            await DaprErrorWriter.WriteAsync(context, 500, "ERR_INTERNAL", $"internal error: {error.Message}");
        }
    }
}
