using System.Net;
using System.Net.Sockets;

namespace Quoncept.Sidecar.Runner;

internal static class FreePort
{
    /// <summary>A port the OS just handed out on 127.0.0.1 (closed again, so the caller can bind it).</summary>
    public static int Next()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
