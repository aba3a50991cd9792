using Dapr.Client;
using Quoncept.Conformance.TestApp;
using Quoncept.Conformance.Tests.Harness;

namespace Quoncept.Conformance.Tests;

/// <summary>
/// What the runtime does with a subscriber's answer: the app's <c>/events/flaky</c> handler (declared with
/// <c>TopicOptions.DeadLetterTopic = "flaky-dead"</c>) answers RETRY for the first <c>FailTimes</c> attempts, or DROP.
/// </summary>
[Collection(nameof(SharedRuntimeCollection))]
public sealed class DeliveryTests(SharedRuntime runtime)
{
    private const string Store = ComponentFiles.StateStore;
    private const string PubSub = ComponentFiles.PubSub;

    // Long enough for the runtime's first retries (back-off from 200 ms), to show that none came.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1.5);

    private DaprClient Dapr => runtime.Client;

    private static string NewId() => Guid.NewGuid().ToString("N")[..12];

    private Task<int> AttemptsAsync(string id) => Dapr.GetStateAsync<int>(Store, "attempts-" + id);

    [Fact]
    public async Task PublishEventAsync_SubscriberAnswersRetryTwice_RedeliveredUntilSuccess()
    {
        var id = NewId();

        await Dapr.PublishEventAsync(PubSub, "flaky", new LedgerEvent(id, 1, FailTimes: 2));

        await runtime.EventuallyAsync(async () => await AttemptsAsync(id) == 3, "three attempts: RETRY, RETRY, SUCCESS");
        await Task.Delay(QuietPeriod);
        Assert.Equal(3, await AttemptsAsync(id));
        Assert.Equal(0, await Dapr.GetStateAsync<int>(Store, "dead-" + id));
    }

    [Fact]
    public async Task PublishEventAsync_SubscriberAnswersDrop_NotRedeliveredAndDeadLettered()
    {
        var id = NewId();

        await Dapr.PublishEventAsync(PubSub, "flaky", new LedgerEvent(id, 7, Mode: "drop"));

        // daprd sends a dropped event to the subscription's dead-letter topic when it has one.
        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "dead-" + id) == 7, "the dropped event on the dead-letter topic");
        await Task.Delay(QuietPeriod);
        Assert.Equal(1, await AttemptsAsync(id));
    }

    [Fact]
    public async Task PublishEventAsync_SubscriberAlwaysAnswersRetry_DeadLetteredAfterRetries()
    {
        var id = NewId();

        await Dapr.PublishEventAsync(PubSub, "flaky", new LedgerEvent(id, 11, FailTimes: int.MaxValue));

        await runtime.EventuallyAsync(async () => await Dapr.GetStateAsync<int>(Store, "dead-" + id) == 11,
            "the event on the dead-letter topic once retries run out", TimeSpan.FromSeconds(40));
        var attempts = await AttemptsAsync(id);
        Assert.True(attempts > 1, $"dead-lettered after {attempts} attempt(s); expected retries first");
        await Task.Delay(QuietPeriod);
        Assert.Equal(attempts, await AttemptsAsync(id));
    }
}
