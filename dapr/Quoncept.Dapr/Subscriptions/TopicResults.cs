using Microsoft.AspNetCore.Http;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>
/// What a subscriber answers: 200 with <c>{"status":"SUCCESS|RETRY|DROP"}</c>
/// (https://docs.dapr.io/reference/api/pubsub_api/#expected-http-response). Any other non-2xx also means retry.
/// </summary>
public static class TopicResults
{
    public static IResult Success() => Status("SUCCESS");

    /// <summary>Redeliver later (the sidecar's resiliency policy decides when).</summary>
    public static IResult Retry() => Status("RETRY");

    /// <summary>Do not redeliver; the message goes to the dead-letter topic when one is declared.</summary>
    public static IResult Drop() => Status("DROP");

    private static IResult Status(string status) =>
        Results.Json(new TopicStatusWire { Status = status }, DaprWireContext.Default.TopicStatusWire, statusCode: StatusCodes.Status200OK);
}
