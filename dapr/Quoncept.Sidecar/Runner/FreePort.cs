using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Quoncept.Sidecar.Runner;

/// <summary>
/// Hands out 127.0.0.1 ports for servers that must know their port before they bind it (sidecar ports,
/// app ports passed to child processes). Opening a listener on port 0 and closing it again is not enough:
/// the OS can give the same port to the next caller before the first one binds it. So every port comes from
/// one process-wide allocator that never hands out a port twice, and from below the OS's ephemeral range,
/// which is where every port-0 bind (Kestrel, test servers, other processes) gets its port. Across processes
/// (a test process and the harness or runtime it starts each pick ports, then bind them seconds later), each
/// process walks blocks of <see cref="BlockSize"/> ports that it claims from one machine-wide sequence
/// (<see cref="ClaimBlock"/>), so two processes never hand out the same port while both may still bind it.
/// </summary>
internal static class FreePort
{
    public const int BlockSize = 64;
    private const int LowestPort = 10000;
    private const int LinuxEphemeralRange = 32768;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];
    private static readonly (int First, int Last) Range = ReservedRange();
    private static readonly string SequenceFile = Path.Combine(Path.GetTempPath(), "quoncept-free-ports");
    private static int _next;
    private static int _blockEnd = -1;

    /// <summary>A port that is free on 127.0.0.1 now and that this process has never handed out before.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            var blocks = (Range.Last - Range.First + 1) / BlockSize;
            for (var tried = 0; tried <= blocks * BlockSize; tried++)
            {
                if (_next > _blockEnd)
                {
                    _next = ClaimBlock(SequenceFile, Range.First, Range.Last);
                    _blockEnd = _next + BlockSize - 1;
                }
                var port = _next++;
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

    /// <summary>
    /// The first port of the next block of <see cref="BlockSize"/> ports in <paramref name="first"/>..<paramref name="last"/>:
    /// the number in <paramref name="sequenceFile"/>, which is then advanced by a block (back to the first block after
    /// the last), under an exclusive lock on the file that other processes wait for. A file that cannot be used
    /// (read-only temp folder) gives a random block: the allocator of old, which only rarely collides.
    /// </summary>
    internal static int ClaimBlock(string sequenceFile, int first, int last)
    {
        var blocks = (last - first + 1) / BlockSize;
        for (var attempt = 0; attempt < 400; attempt++)
        {
            try
            {
                using var file = new FileStream(sequenceFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                using var reader = new StreamReader(file, leaveOpen: true);
                var start = int.TryParse(reader.ReadToEnd().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var stored)
                    && stored >= first && stored + BlockSize - 1 <= last && (stored - first) % BlockSize == 0 ? stored : first;
                var following = start + BlockSize + BlockSize - 1 <= last ? start + BlockSize : first;
                file.SetLength(0);
                file.Write(Encoding.ASCII.GetBytes(following.ToString(CultureInfo.InvariantCulture)));
                return start;
            }
            catch (IOException)
            {
                // Another process holds the lock for the few microseconds of its claim.
                Thread.Sleep(5);
            }
            catch (UnauthorizedAccessException)
            {
                break;
            }
        }
        return first + Random.Shared.Next(blocks) * BlockSize;
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
