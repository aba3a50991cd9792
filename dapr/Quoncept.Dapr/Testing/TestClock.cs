namespace Quoncept.Dapr.Testing;

/// <summary>A <see cref="System.TimeProvider"/> reading the test host's fake clock (timers it creates still run on real time).</summary>
internal sealed class TestClock(Func<DateTimeOffset> now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now();
}
