namespace Quoncept.Cli;

internal sealed record BenchReport(
    BenchSettings Settings,
    int LoggedIn,
    LatencyRecorder Sessions,
    LatencyRecorder Logins,
    LatencyRecorder Moves,
    LatencyRecorder Chats,
    LatencyRecorder Pings,
    LatencyRecorder Arrivals,
    double EventsPerSecond,
    IReadOnlyList<(int Pid, long PeakRssBytes)> GatewayMemory,
    int Failures)
{
    public void Print(TextWriter output)
    {
        var arrival = Settings.LoginRate > 0 ? $"arriving {Settings.LoginRate}/s" : "logged in as a storm, 16 at a time";
        output.WriteLine($"clients {LoggedIn}/{Settings.Clients} ({arrival}), {Settings.Duration.TotalSeconds:F0} s all playing, one action per ~{Settings.ActionInterval.TotalMilliseconds:F0} ms per client");
        output.WriteLine($"create session round-trip: {Sessions.Summary()}");
        output.WriteLine($"login round-trip:          {Logins.Summary()}");
        output.WriteLine($"move round-trip:           {Moves.Summary()}");
        output.WriteLine($"chat round-trip:           {Chats.Summary()}");
        output.WriteLine($"ping round-trip (gateway only): {Pings.Summary()}");
        output.WriteLine($"move -> arrival seen by others: {Arrivals.Summary()}");
        output.WriteLine($"events delivered/s:        {EventsPerSecond:F0}");
        foreach (var (pid, peak) in GatewayMemory) output.WriteLine($"peak gateway memory (pid {pid}): {peak / (1024.0 * 1024):F1} MiB");
        if (GatewayMemory.Count == 0) output.WriteLine("peak gateway memory: not measured (gateway not found on this machine)");
        output.WriteLine($"failures: {Failures}");
    }
}
