using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Quoncept.Grpc;

/// <summary>
/// One RPC method of a service: kind, names and the protobuf parser of its messages.
/// Built from the .proto's <see cref="MethodDescriptor"/>, the single source of the contract.
/// </summary>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    public Method(MethodType type, string serviceName, string name)
    {
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = "/" + serviceName + "/" + name;
        RequestParser = new MessageParser<TRequest>(() => new TRequest());
        ResponseParser = new MessageParser<TResponse>(() => new TResponse());
    }

    public MethodType Type { get; }

    public string ServiceName { get; }

    public string Name { get; }

    /// <summary>The HTTP/2 :path, "/package.Service/Method".</summary>
    public string FullName { get; }

    public MessageParser<TRequest> RequestParser { get; }

    public MessageParser<TResponse> ResponseParser { get; }

    /// <summary>Builds the method from its descriptor, checking the message types match.</summary>
    public static Method<TRequest, TResponse> From(MethodDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{descriptor.FullName} takes {descriptor.InputType.ClrType?.Name} and returns {descriptor.OutputType.ClrType?.Name}, " +
                $"not {typeof(TRequest).Name} -> {typeof(TResponse).Name}.",
                nameof(descriptor));
        }

        return new Method<TRequest, TResponse>(descriptor.GetMethodType(), descriptor.Service.FullName, descriptor.Name);
    }
}
