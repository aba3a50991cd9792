using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Runner;

namespace Quoncept.Sidecar.GrpcApi;

/// <summary>
/// The gRPC transport of the Dapr API (<c>dapr.proto.runtime.v1.Dapr</c>, bound by <see cref="DaprGrpcMethods"/>):
/// each method turns its request into a call on the same services the HTTP API uses and the result into
/// its response message. The calling app is the instance whose gRPC port the call arrived on. Errors are
/// thrown as the runtime's Dapr errors; <see cref="DaprGrpcInterceptor"/> gives them daprd's statuses.
/// This part holds metadata and shutdown; state and messaging are in the other parts.
/// </summary>
internal sealed partial class DaprGrpcApi(
    AppRegistry apps,
    StateService state,
    PublishService publisher,
    AppInvoker invoker,
    MetadataService metadata,
    AppSupervisor supervisor)
{
    private static readonly Task<Empty> Done = Task.FromResult(new Empty());

    public Task<GetMetadataResponse> GetMetadata(GetMetadataRequest request, ServerCallContext call) =>
        Task.FromResult(metadata.Describe(Caller(call)));

    public Task<Empty> SetMetadata(SetMetadataRequest request, ServerCallContext call)
    {
        metadata.SetExtended(Caller(call), request.Key, request.Value);
        return Done;
    }

    /// <summary>Answers first, then stops this instance's sidecar (and its app), as <c>POST /v1.0/shutdown</c> does.</summary>
    public Task<Empty> Shutdown(ShutdownRequest request, ServerCallContext call)
    {
        var caller = Caller(call);
        call.GetHttpContext().Response.OnCompleted(() =>
        {
            _ = supervisor.ShutdownAsync(caller);
            return Task.CompletedTask;
        });
        return Done;
    }

    private AppInstance Caller(ServerCallContext call) => apps.CallerOf(call.GetHttpContext());
}
