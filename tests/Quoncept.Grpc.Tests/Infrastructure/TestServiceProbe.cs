namespace Quoncept.Grpc.Tests;

/// <summary>What the test service saw, for assertions about the server side of a call.</summary>
public sealed class TestServiceProbe
{
    private TaskCompletionSource<string> _slowStarted = New();
    private TaskCompletionSource<string> _slowEnded = New();

    public Task<string> SlowStarted => _slowStarted.Task;

    /// <summary>How the last Slow call ended on the server: "cancelled" (its token fired) or "completed".</summary>
    public Task<string> SlowEnded => _slowEnded.Task;

    /// <summary>The grpc-encoding header of the last UnaryEcho/BidiEcho request ("" when absent).</summary>
    public string? LastRequestEncoding { get; private set; }

    internal void OnRequest(string encoding) => LastRequestEncoding = encoding;

    public void Reset()
    {
        _slowStarted = New();
        _slowEnded = New();
    }

    internal void OnSlowStarted(string deadline) => _slowStarted.TrySetResult(deadline);

    internal void OnSlowEnded(string how) => _slowEnded.TrySetResult(how);

    private static TaskCompletionSource<string> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
