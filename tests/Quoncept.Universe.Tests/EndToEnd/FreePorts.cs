using System.Net;
using System.Net.Sockets;

namespace Quoncept.Universe.Tests.EndToEnd;

internal static class FreePorts
{
    /// <summary>Distinct ports the OS just handed out on 127.0.0.1 (all held open until every one is picked, then released).</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }
}
