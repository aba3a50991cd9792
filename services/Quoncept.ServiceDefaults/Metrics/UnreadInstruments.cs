namespace Quoncept.Telemetry;

/// <summary>
/// Instruments of ASP.NET Core and HttpClient that are updated on every request (or, for Kestrel's memory pool, on
/// every block lent and taken back) and that nothing here reads: no dashboard, test or README figure. A view that drops
/// every stream of an instrument leaves it disabled, so its measurements are not even taken; in a profile of the
/// 1,000-client bench, metrics were 3–4 % of each process's CPU. The request durations
/// (<c>http.server.request.duration</c>, <c>http.client.request.duration</c>) stay: the README lists them. One list for
/// the apps (ServiceDefaults) and the runtime (linked into Quoncept.Sidecar).
/// </summary>
internal static class UnreadInstruments
{
    public static bool Contains(string instrumentName) => instrumentName
        is "aspnetcore.memory_pool.rented" or "aspnetcore.memory_pool.pooled"
        or "http.server.active_requests" or "aspnetcore.routing.match_attempts"
        or "http.client.active_requests" or "http.client.open_connections" or "http.client.request.time_in_queue";
}
