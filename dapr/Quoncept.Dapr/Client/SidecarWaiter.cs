using System.Diagnostics;

namespace Quoncept.Dapr;

/// <summary>Polls the sidecar's outbound health endpoint until it answers, with a message that says what to check when it does not.</summary>
internal static class SidecarWaiter
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task WaitAsync(DaprClient client, Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout != Timeout.InfiniteTimeSpan && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout must be positive.");
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await client.CheckOutboundHealthAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (timeout != Timeout.InfiniteTimeSpan && clock.Elapsed >= timeout)
            {
                throw new DaprException(
                    $"The Dapr sidecar at {endpoint} did not become healthy within {timeout.TotalSeconds:0.#}s " +
                    $"(GET {endpoint}v1.0/healthz/outbound never answered 2xx). Start daprd or the local runtime for this app, " +
                    "or point DAPR_HTTP_PORT / DAPR_HTTP_ENDPOINT at it.");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
