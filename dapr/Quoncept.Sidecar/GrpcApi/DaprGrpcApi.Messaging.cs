using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Errors;

namespace Quoncept.Sidecar.GrpcApi;

/// <summary>Publishing and service invocation over gRPC, run by <see cref="PublishService"/> and <see cref="AppInvoker"/>.</summary>
internal sealed partial class DaprGrpcApi
{
    public async Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext call)
    {
        await publisher.PublishAsync(Caller(call), request.PubsubName, request.Topic, request.Data.ToByteArray(), request.DataContentType,
            request.Metadata, call.CancellationToken);
        return new Empty();
    }

    /// <summary>
    /// <c>BulkPublishEvent</c> and its deprecated twin <c>BulkPublishEventAlpha1</c>. As with daprd, a request
    /// whose entries all went out answers with no failed entries, and a failed entry fails the call (INTERNAL).
    /// </summary>
    public async Task<BulkPublishResponse> BulkPublishEvent(BulkPublishRequest request, ServerCallContext call)
    {
        var entries = request.Entries
            .Select(entry => new BulkPublishItem(entry.EntryId, entry.Event.ToByteArray(), entry.ContentType, entry.Metadata))
            .ToList();
        var failed = await publisher.BulkPublishAsync(Caller(call), request.PubsubName, request.Topic, entries, request.Metadata, call.CancellationToken);
        return failed.Count == 0
            ? new BulkPublishResponse()
            : throw DaprErrors.BulkPublishFailed(request.PubsubName, request.Topic, failed, entries.Count);
    }

    public Task<InvokeResponse> InvokeService(InvokeServiceRequest request, ServerCallContext call) =>
        InvokeServiceCall.RunAsync(invoker, Caller(call), request, call);
}
