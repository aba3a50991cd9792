using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using DaprService = Dapr.Client.Autogen.Grpc.v1.Dapr;

namespace Quoncept.Sidecar.GrpcApi;

/// <summary>
/// Binds the methods of <c>dapr.proto.runtime.v1.Dapr</c> this runtime serves to <see cref="DaprGrpcApi"/>.
/// Dapr.Protos ships the messages and the service descriptor but no server base class, so each method is
/// built from the descriptor: its name and path come from the proto, and its request and response types
/// are checked against the descriptor's, so a binding that does not match the proto fails at start-up.
/// Methods not bound here answer UNIMPLEMENTED, as daprd does for APIs it lacks.
/// </summary>
internal sealed class DaprGrpcMethods : IServiceMethodProvider<DaprGrpcApi>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<DaprGrpcApi> context)
    {
        Bind<GetStateRequest, GetStateResponse>(context, "GetState", (api, request, call) => api.GetState(request, call));
        Bind<GetBulkStateRequest, GetBulkStateResponse>(context, "GetBulkState", (api, request, call) => api.GetBulkState(request, call));
        Bind<SaveStateRequest, Empty>(context, "SaveState", (api, request, call) => api.SaveState(request, call));
        Bind<DeleteStateRequest, Empty>(context, "DeleteState", (api, request, call) => api.DeleteState(request, call));
        Bind<DeleteBulkStateRequest, Empty>(context, "DeleteBulkState", (api, request, call) => api.DeleteBulkState(request, call));
        Bind<ExecuteStateTransactionRequest, Empty>(context, "ExecuteStateTransaction", (api, request, call) => api.ExecuteStateTransaction(request, call));
        Bind<PublishEventRequest, Empty>(context, "PublishEvent", (api, request, call) => api.PublishEvent(request, call));
        Bind<BulkPublishRequest, BulkPublishResponse>(context, "BulkPublishEvent", (api, request, call) => api.BulkPublishEvent(request, call));
        Bind<BulkPublishRequest, BulkPublishResponse>(context, "BulkPublishEventAlpha1", (api, request, call) => api.BulkPublishEvent(request, call));
        Bind<InvokeServiceRequest, InvokeResponse>(context, "InvokeService", (api, request, call) => api.InvokeService(request, call));
        Bind<GetMetadataRequest, GetMetadataResponse>(context, "GetMetadata", (api, request, call) => api.GetMetadata(request, call));
        Bind<SetMetadataRequest, Empty>(context, "SetMetadata", (api, request, call) => api.SetMetadata(request, call));
        Bind<ShutdownRequest, Empty>(context, "Shutdown", (api, request, call) => api.Shutdown(request, call));
    }

    private static void Bind<TRequest, TResponse>(ServiceMethodProviderContext<DaprGrpcApi> context, string name,
        UnaryServerMethod<DaprGrpcApi, TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var descriptor = Describe(name, typeof(TRequest), typeof(TResponse));
        var method = new Method<TRequest, TResponse>(MethodType.Unary, descriptor.Service.FullName, descriptor.Name,
            ProtoMarshallers.For((MessageParser<TRequest>)descriptor.InputType.Parser),
            ProtoMarshallers.For((MessageParser<TResponse>)descriptor.OutputType.Parser));
        context.AddUnaryMethod(method, [], handler);
    }

    internal static MethodDescriptor Describe(string name, System.Type request, System.Type response)
    {
        var descriptor = DaprService.Descriptor.FindMethodByName(name)
            ?? throw new InvalidOperationException($"{DaprService.Descriptor.FullName} has no method {name} in this Dapr.Protos");
        if (descriptor.IsClientStreaming || descriptor.IsServerStreaming
            || descriptor.InputType.ClrType != request || descriptor.OutputType.ClrType != response)
        {
            throw new InvalidOperationException(
                $"{descriptor.FullName} is {descriptor.InputType.ClrType.Name} -> {descriptor.OutputType.ClrType.Name} in the proto, not a unary {request.Name} -> {response.Name}");
        }
        return descriptor;
    }
}
