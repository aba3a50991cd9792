using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Quoncept.Sidecar.Runner;

/// <summary>
/// Hands out 127.0.0.1 ports for servers that must know their port before they bind it (sidecar ports,
/// app ports passed to child processes). Opening a listener on port 0 and closing it again is not enough:
/// the OS can give the same port to the next caller before the first one binds it. So every port comes from
/// one process-wide allocator that never hands out a port twice, and from below the OS's ephemeral range,
/// which is where every port-0 bind (Kestrel, test servers, other processes) gets its port.
/// </summary>
internal static class FreePort
{
    private const int LowestPort = 10000;
    private const int LinuxEphemeralRange = 32768;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];
    private static readonly (int First, int Last) Range = ReservedRange();

    // Each process starts at a random place so parallel test processes rarely walk the same ports.
    private static int _next = Range.First + Random.Shared.Next(Range.Last - Range.First + 1);

    /// <summary>A port that is free on 127.0.0.1 now and that this process has never handed out before.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            var size = Range.Last - Range.First + 1;
            for (var tried = 0; tried < size; tried++)
            {
                var port = _next;
                _next = port == Range.Last ? Range.First : port + 1;
                if (HandedOut.Contains(port) || !IsFree(port))
                {
                    continue;
                }
                HandedOut.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"no free 127.0.0.1 port left in {Range.First}-{Range.Last} for this process");
    }

    /// <summary>The ports <see cref="Next"/> draws from: from 10000 up to just below the ephemeral range.</summary>
    private static (int First, int Last) ReservedRange()
    {
        var ephemeralStart = EphemeralRangeStart();
        return ephemeralStart - LowestPort >= 2000 ? (LowestPort, ephemeralStart - 1) : (LowestPort, IPEndPoint.MaxPort);
    }

    /// <summary>
    /// The first port of the OS's ephemeral range: Linux <c>/proc/sys/net/ipv4/ip_local_port_range</c>
    /// (<c>"low\thigh"</c>), else Linux's default.
    /// </summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 1 && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low) && low > LowestPort)
            {
                return low;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
        return LinuxEphemeralRange;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
