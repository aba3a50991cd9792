namespace Quoncept.Sidecar.Runner;

/// <summary>
/// How pub/sub deliveries are retried: exponential back-off from <see cref="InitialBackoff"/> doubling
/// to <see cref="MaxBackoff"/>, at most <see cref="MaxAttempts"/> attempts, then the dead-letter topic
/// (or the message is dropped and logged). Each attempt times out after <see cref="AttemptTimeout"/>.
/// </summary>
internal sealed record DeliveryPolicy(int MaxAttempts, TimeSpan InitialBackoff, TimeSpan MaxBackoff, TimeSpan AttemptTimeout)
{
    public static DeliveryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30));

    public TimeSpan BackoffBefore(int attempt)
    {
        var delay = InitialBackoff * Math.Pow(2, Math.Max(0, attempt - 2));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}
