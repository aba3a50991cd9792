using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Actors.Hosting;

/// <summary>One app instance (replica) that hosts actor types, with the settings it announced.</summary>
internal sealed record ActorHost(AppInstance Instance, ActorHostConfig Config)
{
    public string HostId => Instance.InstanceId;

    public HttpClient Channel => Instance.Channel
        ?? throw new InvalidOperationException($"{Instance} has no app port and cannot host actors");
}
