using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.Dapr.Wire;

namespace Quoncept.Dapr;

/// <summary>
/// Serves a bulk subscription's route (an endpoint with <c>WithTopic(...)</c> and <c>WithBulkSubscribe(...)</c>):
/// reads the sidecar's bulk delivery, hands the handler the entries read as <typeparamref name="TValue"/> (with the
/// caller's source-generated <see cref="JsonTypeInfo{T}"/>), and answers
/// <c>{"statuses":[{"entryId","status"}]}</c>. An entry that cannot be read is answered DROP (and logged) without
/// reaching the handler; a body that is not a bulk delivery is answered 400 (415 for a non-JSON content type),
/// which the sidecar redelivers.
/// </summary>
public static class BulkSubscribeMessage
{
    /// <summary>The handler sees the whole batch and answers a status per entry; entries it leaves out are redelivered.</summary>
    public static async Task<IResult> HandleAsync<TValue>(HttpRequest request, JsonTypeInfo<TValue> eventType,
        Func<BulkSubscribeMessage<TValue>, CancellationToken, ValueTask<BulkSubscribeAppResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(handler);
        var cancellationToken = request.HttpContext.RequestAborted;
        var read = await BulkSubscribeReader.ReadAsync(request, eventType, cancellationToken).ConfigureAwait(false);
        if (read.Message is not { } message)
        {
            return Refuse(request, read.Status, read.Error!);
        }

        var statuses = new List<BulkSubscribeResponseEntryWire>(message.Entries.Count + read.Malformed.Count);
        if (message.Entries.Count > 0)
        {
            var answer = await handler(message, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("A bulk subscription handler returned no BulkSubscribeAppResponse.");
            statuses.AddRange(answer.Statuses.Select(s => new BulkSubscribeResponseEntryWire { EntryId = s.EntryId, Status = s.Status.ToString() }));
        }

        return Answer(request, message, read.Malformed, statuses);
    }

    /// <summary>The handler is called once per readable entry, in delivery order, and answers that entry's status.</summary>
    public static Task<IResult> HandleEachAsync<TValue>(HttpRequest request, JsonTypeInfo<TValue> eventType,
        Func<BulkSubscribeMessageEntry<TValue>, CancellationToken, ValueTask<BulkSubscribeAppResponseStatus>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return HandleAsync(request, eventType, async (message, cancellationToken) =>
        {
            var statuses = new List<BulkSubscribeAppResponseEntry>(message.Entries.Count);
            foreach (var entry in message.Entries)
            {
                statuses.Add(new BulkSubscribeAppResponseEntry(entry.EntryId, await handler(entry, cancellationToken).ConfigureAwait(false)));
            }

            return new BulkSubscribeAppResponse(statuses);
        });
    }

    private static IResult Answer<TValue>(HttpRequest request, BulkSubscribeMessage<TValue> message, IReadOnlyList<(string EntryId, string Reason)> malformed,
        List<BulkSubscribeResponseEntryWire> statuses)
    {
        if (malformed.Count > 0)
        {
            var logger = Logger(request);
            foreach (var (entryId, reason) in malformed)
            {
                logger?.LogWarning("Bulk delivery {PubSub}/{Topic}: entry {EntryId} dropped: {Reason}", message.PubsubName, message.Topic, entryId, reason);
                statuses.Add(new BulkSubscribeResponseEntryWire { EntryId = entryId, Status = nameof(BulkSubscribeAppResponseStatus.DROP) });
            }
        }

        return Results.Json(new BulkSubscribeResponseWire { Statuses = statuses }, DaprWireContext.Default.BulkSubscribeResponseWire, statusCode: StatusCodes.Status200OK);
    }

    private static IResult Refuse(HttpRequest request, int status, string error)
    {
        Logger(request)?.LogWarning("Bulk delivery to {Path} refused with {Status}: {Error}", request.Path, status, error);
        return Results.Json(new DaprErrorBody { ErrorCode = "ERR_MALFORMED_BULK_MESSAGE", Message = error }, DaprWireContext.Default.DaprErrorBody, statusCode: status);
    }

    private static ILogger? Logger(HttpRequest request) =>
        request.HttpContext.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("Quoncept.Dapr.BulkSubscribe");
}
