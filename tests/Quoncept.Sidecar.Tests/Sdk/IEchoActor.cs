using Dapr.Actors;

namespace Quoncept.Sidecar.Tests.Sdk;

/// <summary>
/// A remoting actor interface for <see cref="SdkActorRemotingTests"/>. Public because Dapr.Actors emits
/// its proxy in a dynamic assembly, which can only implement public interfaces.
/// </summary>
public interface IEchoActor : IActor
{
    Task<string> EchoAsync(string text);

    /// <summary>Adds one to a counter kept in actor state (saved through the sidecar) and returns it.</summary>
    Task<int> CountAsync();

    Task FailAsync(string reason);
}
