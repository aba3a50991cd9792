namespace Quoncept.Dapr.Actors.Client;

/// <summary>How a proxy reaches an actor: through the sidecar, or in-process in the test host.</summary>
internal interface IActorInvoker
{
    /// <summary>Sends a UTF-8 JSON argument (or none) and returns the UTF-8 JSON result (empty for a plain Task).</summary>
    Task<byte[]> InvokeAsync(string actorType, string actorId, string methodName, byte[]? body, CancellationToken cancellationToken);
}
