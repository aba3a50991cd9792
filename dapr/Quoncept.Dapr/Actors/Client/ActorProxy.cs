using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Quoncept.Dapr.Actors.Runtime;

namespace Quoncept.Dapr.Actors.Client;

/// <summary>
/// A handle on one actor. <see cref="Create{TActorInterface}"/> gives a typed proxy (a DispatchProxy implementing the
/// actor interface: its argument goes out as JSON, its result comes back as JSON, a CancellationToken parameter
/// cancels the call, and a remote failure surfaces as <see cref="ActorMethodInvocationException"/>);
/// <see cref="Create(ActorId, string, ActorProxyOptions?)"/> gives an untyped one for <see cref="InvokeMethodAsync{TRequest, TResponse}"/>.
/// </summary>
public class ActorProxy : DispatchProxy
{
    private static readonly Lazy<ActorProxyFactory> DefaultFactory = new(() => new ActorProxyFactory());
    private static readonly MethodInfo TypedCallDefinition = typeof(ActorProxy).GetMethod(nameof(CallTypedAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly ConcurrentDictionary<Type, Func<ActorProxy, ActorMethod, byte[]?, CancellationToken, object>> TypedCalls = new();

    private IActorInvoker? _invoker;
    private ActorProxyOptions _options = new();

    /// <summary>For DispatchProxy; use <see cref="Create{TActorInterface}"/> or an <see cref="IActorProxyFactory"/>.</summary>
    public ActorProxy()
    {
    }

    public ActorId ActorId { get; private set; } = null!;

    public string ActorType { get; private set; } = "";

    public static TActorInterface Create<TActorInterface>(ActorId actorId, string actorType, ActorProxyOptions? options = null)
        where TActorInterface : IActor =>
        DefaultFactory.Value.CreateActorProxy<TActorInterface>(actorId, actorType, options);

    public static ActorProxy Create(ActorId actorId, string actorType, ActorProxyOptions? options = null) =>
        DefaultFactory.Value.Create(actorId, actorType, options);

    public async Task<TResponse> InvokeMethodAsync<TRequest, TResponse>(string method, TRequest data, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(method, JsonSerializer.SerializeToUtf8Bytes(data, _options.JsonSerializerOptions), cancellationToken).ConfigureAwait(false);
        return ActorInvocation.DeserializeResult<TResponse>(body, _options.JsonSerializerOptions, ActorType, method);
    }

    public Task InvokeMethodAsync<TRequest>(string method, TRequest data, CancellationToken cancellationToken = default) =>
        SendAsync(method, JsonSerializer.SerializeToUtf8Bytes(data, _options.JsonSerializerOptions), cancellationToken);

    public async Task<TResponse> InvokeMethodAsync<TResponse>(string method, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(method, null, cancellationToken).ConfigureAwait(false);
        return ActorInvocation.DeserializeResult<TResponse>(body, _options.JsonSerializerOptions, ActorType, method);
    }

    public Task InvokeMethodAsync(string method, CancellationToken cancellationToken = default) => SendAsync(method, null, cancellationToken);

    internal static TActorInterface CreateTyped<TActorInterface>() where TActorInterface : IActor
    {
        _ = ActorInterfaceInformation.Get(typeof(TActorInterface)); // validates the interface before the first call
        return Create<TActorInterface, ActorProxy>();
    }

    internal void Initialize(ActorId actorId, string actorType, IActorInvoker invoker, ActorProxyOptions options)
    {
        ActorId = actorId;
        ActorType = actorType;
        _invoker = invoker;
        _options = options;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var table = ActorInterfaceInformation.Get(targetMethod.DeclaringType!);
        var method = table[targetMethod];
        args ??= [];
        var body = method.ParameterType is null ? null : JsonSerializer.SerializeToUtf8Bytes(args[0], method.ParameterType, _options.JsonSerializerOptions);
        var cancellationToken = method.TakesCancellationToken ? (CancellationToken)args[^1]! : CancellationToken.None;
        if (method.ResultType is null)
        {
            return SendAsync(method.Name, body, cancellationToken);
        }

        var call = TypedCalls.GetOrAdd(method.ResultType, t =>
            TypedCallDefinition.MakeGenericMethod(t).CreateDelegate<Func<ActorProxy, ActorMethod, byte[]?, CancellationToken, object>>());
        return call(this, method, body, cancellationToken);
    }

    private async Task<TResult> CallTypedAsync<TResult>(ActorMethod method, byte[]? body, CancellationToken cancellationToken)
    {
        var result = await SendAsync(method.Name, body, cancellationToken).ConfigureAwait(false);
        return ActorInvocation.DeserializeResult<TResult>(result, _options.JsonSerializerOptions, ActorType, method.Name);
    }

    private async Task<byte[]> SendAsync(string method, byte[]? body, CancellationToken cancellationToken)
    {
        var invoker = _invoker ?? throw new InvalidOperationException("This ActorProxy was not created by ActorProxy.Create or an IActorProxyFactory.");
        if (_options.RequestTimeout == Timeout.InfiniteTimeSpan)
        {
            return await invoker.InvokeAsync(ActorType, ActorId.GetId(), method, body, cancellationToken).ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        return await invoker.InvokeAsync(ActorType, ActorId.GetId(), method, body, timeout.Token).ConfigureAwait(false);
    }
}
