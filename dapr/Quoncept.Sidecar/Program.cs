using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Hosting;
using Quoncept.Sidecar.Runner;

// The local Dapr runtime: `run -f dapr/dapr.yaml` starts every app of a multi-app run file beside
// its own sidecar port; daprd-style flags front one app started elsewhere.
InheritedSignals.TakeBackInterrupt();
SidecarCommand command;
try
{
    command = SidecarCommandLine.Parse(args);
}
catch (CommandLineException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 2;
}

SidecarRuntime runtime;
try
{
    runtime = await SidecarRuntime.StartAsync(command);
}
catch (Exception error) when (error is ComponentLoadException or CommandLineException or IOException)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 1;
}

await runtime.App.WaitForShutdownAsync();
await runtime.DisposeAsync();
return 0;
