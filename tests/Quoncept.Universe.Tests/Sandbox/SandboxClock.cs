namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>The sandbox's fake clock: time passes only when a test moves it (<see cref="ActorSandbox.AdvanceTimeAsync"/>).</summary>
internal sealed class SandboxClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset Now => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void MoveTo(DateTimeOffset instant)
    {
        if (instant < Now) throw new ArgumentOutOfRangeException(nameof(instant), "The clock only moves forward.");
        Interlocked.Exchange(ref _ticks, instant.UtcTicks);
    }
}
