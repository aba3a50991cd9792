using Quoncept.Gateway.Streams;

namespace Quoncept.Universe.Tests.Gateway;

public sealed class PipelinedChatsTests
{
    [Fact]
    public async Task AddAsync_LaterChatDoneFirst_AnswersStillInTheOrderTheChatsCame()
    {
        var chats = new PipelinedChats(limit: 4);
        var answered = new List<int>();
        var done = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        for (var i = 0; i < 3; i++)
        {
            var k = i;
            await chats.AddAsync(async previous => { await done[k].Task; await previous; lock (answered) answered.Add(k); });
        }

        done[2].SetResult();
        done[1].SetResult();
        await Task.Delay(50);
        Assert.Empty(answered);
        done[0].SetResult();
        await chats.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([0, 1, 2], answered);
    }

    [Fact]
    public async Task AddAsync_LimitOut_WaitsForTheOldestBeforeStartingAnother()
    {
        var chats = new PipelinedChats(limit: 2);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        await chats.AddAsync(async _ => { Interlocked.Increment(ref started); await first.Task; });
        await chats.AddAsync(_ => { Interlocked.Increment(ref started); return Task.CompletedTask; });

        var third = chats.AddAsync(_ => { Interlocked.Increment(ref started); return Task.CompletedTask; });
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, Volatile.Read(ref started));

        first.SetResult();
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, Volatile.Read(ref started));
    }
}
