using Quoncept.Sidecar.Apps;
using Quoncept.Sidecar.Components;

namespace Quoncept.Sidecar.Hosting;

/// <summary>Everything the host needs, resolved from the command line and the files it names.</summary>
internal sealed record SidecarSetup(
    AppRegistry Apps,
    ComponentRegistry Components,
    TimeProvider Time,
    LogLevel LogLevel,
    long MaxRequestBodyBytes);
