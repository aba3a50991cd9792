using System.Reflection;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>
/// One actor interface method, checked once: at most one data parameter, an optional trailing CancellationToken,
/// and a Task or Task&lt;T&gt; result. The same description drives the proxy (what to send) and the host (how to call).
/// </summary>
internal sealed class ActorMethod
{
    private static readonly MethodInfo ResultGetterDefinition = typeof(ActorMethod).GetMethod(nameof(GetResult), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<Task, object?>? _resultGetter;

    private ActorMethod(MethodInfo method, Type? parameterType, bool takesCancellationToken, Type? resultType)
    {
        Method = method;
        ParameterType = parameterType;
        TakesCancellationToken = takesCancellationToken;
        ResultType = resultType;
        if (resultType is not null)
        {
            _resultGetter = ResultGetterDefinition.MakeGenericMethod(resultType).CreateDelegate<Func<Task, object?>>();
        }
    }

    public string Name => Method.Name;

    public MethodInfo Method { get; }

    /// <summary>The data parameter's type; null when the method takes none.</summary>
    public Type? ParameterType { get; }

    public bool TakesCancellationToken { get; }

    /// <summary>T of Task&lt;T&gt;; null for a plain Task.</summary>
    public Type? ResultType { get; }

    public static ActorMethod Describe(MethodInfo method)
    {
        var where = $"{method.DeclaringType?.Name}.{method.Name}";
        var parameters = method.GetParameters();
        var takesToken = parameters.Length > 0 && parameters[^1].ParameterType == typeof(CancellationToken);
        var dataParameters = takesToken ? parameters[..^1] : parameters;
        if (dataParameters.Length > 1)
        {
            throw new ArgumentException($"Actor method {where} takes {dataParameters.Length} arguments; actor methods take at most one (wrap them in a record) plus an optional CancellationToken.");
        }

        if (dataParameters.Any(p => p.ParameterType.IsByRef || p.ParameterType == typeof(CancellationToken)))
        {
            throw new ArgumentException($"Actor method {where}: ref/out parameters and a CancellationToken before the data argument are not supported.");
        }

        if (method.IsGenericMethodDefinition)
        {
            throw new ArgumentException($"Actor method {where} is generic; actor methods cannot be.");
        }

        Type? resultType;
        if (method.ReturnType == typeof(Task))
        {
            resultType = null;
        }
        else if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            resultType = method.ReturnType.GetGenericArguments()[0];
        }
        else
        {
            throw new ArgumentException($"Actor method {where} returns {method.ReturnType.Name}; actor methods return Task or Task<T>.");
        }

        return new ActorMethod(method, dataParameters.Length == 1 ? dataParameters[0].ParameterType : null, takesToken, resultType);
    }

    /// <summary>Calls the method on <paramref name="target"/> and returns its result (null for a plain Task).</summary>
    public async Task<object?> InvokeAsync(object target, object? argument, CancellationToken cancellationToken)
    {
        var count = (ParameterType is null ? 0 : 1) + (TakesCancellationToken ? 1 : 0);
        var args = count == 0 ? [] : new object?[count];
        if (ParameterType is not null)
        {
            args[0] = argument;
        }

        if (TakesCancellationToken)
        {
            args[^1] = cancellationToken;
        }

        var task = (Task?)Method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null)
            ?? throw new InvalidOperationException($"Actor method {Name} returned a null Task.");
        await task.ConfigureAwait(false);
        return _resultGetter?.Invoke(task);
    }

    private static object? GetResult<T>(Task task) => ((Task<T>)task).Result;
}
