using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Quoncept.Grpc;

/// <summary>
/// Serves one method of one service: validates the request, runs the typed handler of the
/// method's kind, and ends the call with exactly one status.
/// </summary>
internal sealed class ServerMethodHandler<TService, TRequest, TResponse> : IServerMethodHandler
    where TService : class
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly Method<TRequest, TResponse> _method;
    private readonly GrpcServiceOptions _options;
    private readonly ILogger _logger;
    private readonly TService? _singleton;
    private readonly CancellationToken _serverStopping;
    private readonly ObjectFactory _serviceFactory = ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes);
    private readonly Func<TService, TRequest, ServerCallContext, Task<TResponse>>? _unary;
    private readonly Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>? _serverStreaming;
    private readonly Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>? _clientStreaming;
    private readonly Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>? _duplex;

    public ServerMethodHandler(MethodDescriptor descriptor, MethodInfo? implementation, GrpcServiceOptions options, ILogger logger, TService? singleton, CancellationToken serverStopping)
    {
        _singleton = singleton;
        _method = Method<TRequest, TResponse>.From(descriptor);
        _serverStopping = _method.Type == MethodType.Unary ? CancellationToken.None : serverStopping;
        _options = options;
        _logger = logger;
        if (implementation is null)
        {
            return;
        }

        switch (_method.Type)
        {
            case MethodType.Unary:
                _unary = implementation.CreateDelegate<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>();
                break;
            case MethodType.ServerStreaming:
                _serverStreaming = implementation.CreateDelegate<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>();
                break;
            case MethodType.ClientStreaming:
                _clientStreaming = implementation.CreateDelegate<Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>>();
                break;
            default:
                _duplex = implementation.CreateDelegate<Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>();
                break;
        }
    }

    public string Path => _method.FullName;

    public async Task HandleAsync(HttpContext http)
    {
        if (!await ServerRequestValidation.AcceptAsync(http).ConfigureAwait(false))
        {
            return;
        }

        using var call = new HttpServerCallContext(http, _options, _method.FullName);
        Status status;
        try
        {
            call.Initialize(_serverStopping);
            await InvokeAsync(http, call).ConfigureAwait(false);
            status = call.ServerStopping ? new Status(StatusCode.Unavailable, "The server is shutting down.")
                : call.DeadlineExceeded ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
                : call.Status;
        }
        catch (Exception ex)
        {
            status = ServerErrors.ToStatus(ex, call, _logger);
        }

        if (!http.RequestAborted.IsCancellationRequested)
        {
            ServerStatusWriter.WriteStatus(call, status);
        }
    }

    private async Task InvokeAsync(HttpContext http, HttpServerCallContext call)
    {
        if (_unary is null && _serverStreaming is null && _clientStreaming is null && _duplex is null)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, $"Method '{_method.Name}' of service '{_method.ServiceName}' is not implemented."));
        }

        var reader = new MessageReader(http.Request.BodyReader, _options.ReceiveLimit, call.RequestEncoding);
        var service = _singleton ?? http.RequestServices.GetService<TService>();
        var created = service is null;
        service ??= (TService)_serviceFactory(http.RequestServices, null);
        try
        {
            switch (_method.Type)
            {
                case MethodType.Unary:
                    {
                        var request = await ReadSingleRequestAsync(reader, call).ConfigureAwait(false);
                        var response = await _unary!(service, request, call).ConfigureAwait(false);
                        ServerMessageOutput.Write(call, response ?? throw new InvalidOperationException("The handler returned no response message."));
                        break;
                    }

                case MethodType.ServerStreaming:
                    {
                        var request = await ReadSingleRequestAsync(reader, call).ConfigureAwait(false);
                        var responses = new HttpResponseStreamWriter<TResponse>(call);
                        await RunThenDrainAsync(_serverStreaming!(service, request, responses, call), responses).ConfigureAwait(false);
                        break;
                    }

                case MethodType.ClientStreaming:
                    {
                        var requests = new HttpRequestStreamReader<TRequest>(call, reader, _method.RequestParser);
                        var response = await _clientStreaming!(service, requests, call).ConfigureAwait(false);
                        ServerMessageOutput.Write(call, response ?? throw new InvalidOperationException("The handler returned no response message."));
                        break;
                    }

                default:
                    {
                        var requests = new HttpRequestStreamReader<TRequest>(call, reader, _method.RequestParser);
                        var responses = new HttpResponseStreamWriter<TResponse>(call);
                        await RunThenDrainAsync(_duplex!(service, requests, responses, call), responses).ConfigureAwait(false);
                        break;
                    }
            }
        }
        finally
        {
            if (created)
            {
                await DisposeAsync(service).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Messages the handler wrote go out before the status. When the handler failed, its
    /// exception decides the status, not a send error while draining.
    /// </summary>
    private static async Task RunThenDrainAsync(Task handler, HttpResponseStreamWriter<TResponse> responses)
    {
        try
        {
            await handler.ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await responses.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The handler's own exception is the one that explains the call's end.
            }

            throw;
        }

        await responses.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Unary and server-streaming requests carry exactly one message, then end of stream.</summary>
    private async Task<TRequest> ReadSingleRequestAsync(MessageReader reader, HttpServerCallContext call)
    {
        var request = await reader.ReadAsync(_method.RequestParser, call.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The request ended without a message; this method takes exactly one."));
        if (await reader.ReadAsync(_method.RequestParser, call.CancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "A second request message arrived; this method takes exactly one."));
        }

        return request;
    }

    private static ValueTask DisposeAsync(TService service)
    {
        switch (service)
        {
            case IAsyncDisposable asyncDisposable:
                return asyncDisposable.DisposeAsync();
            case IDisposable disposable:
                disposable.Dispose();
                return ValueTask.CompletedTask;
            default:
                return ValueTask.CompletedTask;
        }
    }
}
