using System.Globalization;

namespace Quoncept.Faults.Faults;

/// <summary>
/// One step of a rolling restart: the process signalled, its new process, when it was back and ready (null when it
/// never was), and the times of the requests players started while it restarted (retries included).
/// </summary>
internal sealed record RestartRecord(string Instance, int OldPid, int? NewPid, TimeSpan? Back, long From, long To)
{
    public IReadOnlyList<TimeSpan> Latencies { get; set; } = [];

    public string Describe() => Back is { } back
        ? string.Create(CultureInfo.InvariantCulture, $"{Instance} restarted (pid {OldPid} -> {NewPid}), back and ready after {back.TotalMilliseconds:0} ms")
        : $"{Instance} (pid {OldPid}) was NOT back and ready in time";
}
