using Quoncept.Dapr.Actors;

namespace Quoncept.Dapr.Tests.Support;

public sealed class MailboxActor(ActorHost host) : Actor(host), IMailboxActor
{
    private readonly List<int> _seen = [];
    private int _inside;

    public async Task<bool> EnterAsync(int sequence)
    {
        var overlapped = Interlocked.Increment(ref _inside) != 1;
        _seen.Add(sequence);
        await Task.Yield(); // give a racing call every chance to get in
        overlapped |= Volatile.Read(ref _inside) != 1;
        Interlocked.Decrement(ref _inside);
        return overlapped;
    }

    public Task<IReadOnlyList<int>> SeenAsync() => Task.FromResult<IReadOnlyList<int>>(_seen.ToList());
}
