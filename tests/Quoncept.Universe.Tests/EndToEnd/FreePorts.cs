using Quoncept.Sidecar.Runner;

namespace Quoncept.Universe.Tests.EndToEnd;

internal static class FreePorts
{
    /// <summary>Distinct ports from the runtime's allocator (see <see cref="FreePort"/>): never handed out twice in this process.</summary>
    public static int[] Take(int count) => Enumerable.Range(0, count).Select(_ => FreePort.Next()).ToArray();
}
