using Grpc.Core;

namespace Quoncept.Gateway.Streams;

/// <summary>
/// Binds quoncept.v1.Gateway as generated, except Connect, which is bound as
/// <see cref="OutboundMessage.ConnectMethod"/> (same path, same wire, pre-encoded responses).
/// Grpc.AspNetCore finds the service's methods through the [BindServiceMethod] binder and
/// resolves each handler on the service type by name and parameter types, so
/// <see cref="GatewayService"/> serves Connect with an IServerStreamWriter of <see cref="OutboundMessage"/>.
/// </summary>
internal sealed class EncodedConnectBinder(ServiceBinderBase inner) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        if (method.FullName == OutboundMessage.ConnectMethod.FullName)
        {
            inner.AddMethod(OutboundMessage.ConnectMethod, (DuplexStreamingServerMethod<V1.ClientMessage, OutboundMessage>?)null);
            return;
        }

        inner.AddMethod(method, handler);
    }
}
