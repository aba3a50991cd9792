using Microsoft.Extensions.Logging;

namespace Quoncept.Grpc;

/// <summary>The one place an exception out of a call becomes a status.</summary>
internal static class ServerErrors
{
    public static Status ToStatus(Exception exception, HttpServerCallContext call, ILogger logger)
    {
        if (call.ServerStopping)
        {
            return new Status(StatusCode.Unavailable, "The server is shutting down.");
        }

        if (call.DeadlineExceeded)
        {
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        switch (exception)
        {
            case RpcException rpc:
                if (rpc.Trailers.Count > 0)
                {
                    foreach (var entry in rpc.Trailers)
                    {
                        call.ResponseTrailers.Add(entry);
                    }
                }

                return rpc.Status;
            case OperationCanceledException when call.HttpContext.RequestAborted.IsCancellationRequested:
                return new Status(StatusCode.Cancelled, "Call cancelled by the client.");
            default:
                logger.LogError(exception, "gRPC handler for {Method} threw", call.Method);
                var detail = call.Options.EnableDetailedErrors
                    ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
                    : "Exception was thrown by handler.";
                return new Status(StatusCode.Unknown, detail, exception);
        }
    }
}
