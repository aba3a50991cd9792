using System.Reflection;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Quoncept.Grpc;

/// <summary>
/// Binds a service implementation to the methods of its .proto ServiceDescriptor, once, at
/// start-up: each proto method is matched by name to a public method of TService with the
/// grpc-dotnet signature of its kind. A missing method answers UNIMPLEMENTED; a method with the
/// right name and a wrong signature stops start-up with a message saying what was expected.
/// </summary>
internal static class ServiceMethodTable
{
    public static IReadOnlyList<IServerMethodHandler> Build<TService>(ServiceDescriptor service, GrpcServiceOptions options, ILogger logger, TService? singleton, CancellationToken serverStopping)
        where TService : class
    {
        var handlers = new List<IServerMethodHandler>(service.Methods.Count);
        foreach (var method in service.Methods)
        {
            var request = method.InputType.ClrType ?? throw new InvalidOperationException($"{method.FullName}: no generated C# type for {method.InputType.FullName}.");
            var response = method.OutputType.ClrType ?? throw new InvalidOperationException($"{method.FullName}: no generated C# type for {method.OutputType.FullName}.");
            var implementation = FindImplementation(typeof(TService), method, request, response);
            var handlerType = typeof(ServerMethodHandler<,,>).MakeGenericType(typeof(TService), request, response);
            handlers.Add((IServerMethodHandler)Activator.CreateInstance(handlerType, method, implementation, options, logger, singleton, serverStopping)!);
        }

        return handlers;
    }

    /// <summary>
    /// The instance every call may share when DI registers TService as a singleton (two scopes
    /// resolve the same object), so calls skip creating a request scope; null otherwise.
    /// </summary>
    public static TService? ResolveSingleton<TService>(IServiceProvider provider)
        where TService : class
    {
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();
        var a = first.ServiceProvider.GetService<TService>();
        return a is not null && ReferenceEquals(a, second.ServiceProvider.GetService<TService>()) ? a : null;
    }

    private static MethodInfo? FindImplementation(Type serviceType, MethodDescriptor method, Type request, Type response)
    {
        var (parameters, returnType, signature) = method.GetMethodType() switch
        {
            MethodType.Unary => (
                new[] { request, typeof(ServerCallContext) },
                typeof(Task<>).MakeGenericType(response),
                $"Task<{response.Name}> {method.Name}({request.Name}, ServerCallContext)"),
            MethodType.ServerStreaming => (
                new[] { request, typeof(IServerStreamWriter<>).MakeGenericType(response), typeof(ServerCallContext) },
                typeof(Task),
                $"Task {method.Name}({request.Name}, IServerStreamWriter<{response.Name}>, ServerCallContext)"),
            MethodType.ClientStreaming => (
                new[] { typeof(IAsyncStreamReader<>).MakeGenericType(request), typeof(ServerCallContext) },
                typeof(Task<>).MakeGenericType(response),
                $"Task<{response.Name}> {method.Name}(IAsyncStreamReader<{request.Name}>, ServerCallContext)"),
            _ => (
                new[] { typeof(IAsyncStreamReader<>).MakeGenericType(request), typeof(IServerStreamWriter<>).MakeGenericType(response), typeof(ServerCallContext) },
                typeof(Task),
                $"Task {method.Name}(IAsyncStreamReader<{request.Name}>, IServerStreamWriter<{response.Name}>, ServerCallContext)"),
        };

        var candidates = serviceType.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == method.Name).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        return candidates.FirstOrDefault(m => m.ReturnType == returnType && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters))
            ?? throw new InvalidOperationException($"{serviceType.Name}.{method.Name} does not match {method.FullName}: expected {signature}.");
    }
}
