namespace Quoncept.Gateway.Streams;

/// <summary>
/// The chats of one stream that are out at once. A stream's requests are otherwise handled one at a time, in order;
/// consecutive chats may overlap, because they all go through their system's queue (<see cref="ChatGroupCommit"/>),
/// which keeps their order, so a client that chats fast fills a batch instead of waiting a turn per line. At most
/// <c>limit</c> are out; their answers are queued in the order the chats came (each waits for the one before).
/// Used by the stream's read loop only.
/// </summary>
internal sealed class PipelinedChats(int limit)
{
    private readonly Queue<Task> _out = new();
    private Task _last = Task.CompletedTask;

    /// <summary>Starts <paramref name="answer"/> (given the previous chat's answer to wait for), once fewer than the limit are out.</summary>
    public async Task AddAsync(Func<Task, Task> answer)
    {
        while (_out.Count >= limit) await _out.Dequeue().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _last = answer(_last);
        _out.Enqueue(_last);
    }

    /// <summary>Completes once every chat started so far is answered.</summary>
    public async Task DrainAsync()
    {
        while (_out.Count > 0) await _out.Dequeue().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _last = Task.CompletedTask;
    }
}
