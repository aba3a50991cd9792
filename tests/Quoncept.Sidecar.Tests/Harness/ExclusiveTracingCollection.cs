namespace Quoncept.Sidecar.Tests.Harness;

/// <summary>
/// Tests that read exported spans run alone, after the parallel ones. OpenTelemetry instrumentation is
/// process-wide: every runtime started in this process subscribes to ASP.NET Core's and HttpClient's
/// activities, and a runtime's filter marks the requests of the others as not recorded (on the shared
/// Activity), so a concurrent runtime could hide the spans a test expects. A standalone runtime owns its process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExclusiveTracingCollection
{
    public const string Name = "exclusive tracing";
}
