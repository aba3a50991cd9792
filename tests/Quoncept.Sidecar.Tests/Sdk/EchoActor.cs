using Dapr.Actors.Runtime;

namespace Quoncept.Sidecar.Tests.Sdk;

/// <summary>The actor behind <see cref="IEchoActor"/>, hosted by Dapr.Actors.AspNetCore in <see cref="SdkActorHostApp"/>.</summary>
internal sealed class EchoActor(ActorHost host) : Actor(host), IEchoActor
{
    public Task<string> EchoAsync(string text) => Task.FromResult($"{Id.GetId()}: {text}");

    public async Task<int> CountAsync()
    {
        var count = await StateManager.GetOrAddStateAsync("count", 0) + 1;
        await StateManager.SetStateAsync("count", count);
        return count;
    }

    public Task FailAsync(string reason) => throw new InvalidOperationException(reason);
}
