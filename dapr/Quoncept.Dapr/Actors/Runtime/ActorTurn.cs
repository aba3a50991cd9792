namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>One message in an actor's mailbox: a method call, timer, reminder, or the deactivation marker.</summary>
internal sealed class ActorTurn
{
    private ActorTurn(ActorMethodContext? context, Func<Actor, CancellationToken, Task<object?>>? body, CancellationToken cancellationToken)
    {
        Context = context;
        Body = body;
        CancellationToken = cancellationToken;
    }

    /// <summary>Null for the deactivation marker.</summary>
    public ActorMethodContext? Context { get; }

    public Func<Actor, CancellationToken, Task<object?>>? Body { get; }

    public CancellationToken CancellationToken { get; }

    public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The caller's execution context (Activity.Current for tracing, the actor call chain): the turn runs in it.</summary>
    public ExecutionContext? CallerContext { get; } = ExecutionContext.Capture();

    public bool IsDeactivation => Body is null;

    public static ActorTurn Call(ActorMethodContext context, Func<Actor, CancellationToken, Task<object?>> body, CancellationToken cancellationToken) =>
        new(context, body, cancellationToken);

    public static ActorTurn Deactivation() => new(null, null, CancellationToken.None);
}
