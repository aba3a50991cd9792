namespace Quoncept.Sidecar.Tests.Harness;

/// <summary>
/// HTTP clients for tests that send exactly the headers a test sets. The runtime under test runs in this
/// process and its OpenTelemetry HttpClient instrumentation listens to every HttpClient here; a client
/// with the default propagator would then write its own (unrelated) <c>traceparent</c> over the test's.
/// </summary>
internal static class TestHttp
{
    public static HttpClient Client(Uri baseAddress, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = baseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(100),
        };
}
