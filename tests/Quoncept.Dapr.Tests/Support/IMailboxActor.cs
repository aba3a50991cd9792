using Quoncept.Dapr.Actors;

namespace Quoncept.Dapr.Tests.Support;

public interface IMailboxActor : IActor
{
    /// <summary>Records the call and reports whether another call was inside the actor at the same time.</summary>
    Task<bool> EnterAsync(int sequence);

    Task<IReadOnlyList<int>> SeenAsync();
}
