using System.Globalization;

namespace Quoncept.Cli;

/// <summary>
/// Samples the resident memory of the process listening on a gateway's port, on this machine
/// (Linux /proc): /proc/net/tcp{,6} give the listening socket's inode, /proc/[pid]/fd finds its
/// owner, /proc/[pid]/status gives VmRSS and the kernel's high-water mark VmHWM.
/// </summary>
internal sealed class GatewayMemoryProbe
{
    private readonly int _pid;
    private long _peakRssKb;

    private GatewayMemoryProbe(int pid) => _pid = pid;

    public int Pid => _pid;

    public long PeakRssBytes => Interlocked.Read(ref _peakRssKb) * 1024;

    public static GatewayMemoryProbe? Find(Uri gateway)
    {
        if (!OperatingSystem.IsLinux() || gateway.Host is not ("127.0.0.1" or "localhost" or "::1")) return null;
        var inodes = ListeningInodes("/proc/net/tcp", gateway.Port).Concat(ListeningInodes("/proc/net/tcp6", gateway.Port)).ToHashSet();
        if (inodes.Count == 0) return null;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1])) return new GatewayMemoryProbe(pid);
                }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
            }
        }
        return null;
    }

    /// <summary>Samples until cancelled.</summary>
    public async Task SampleAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Sample();
                await Task.Delay(every, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        Sample();
    }

    private void Sample()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal) && !line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kb = long.Parse(line.AsSpan(6).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
                long seen;
                while (kb > (seen = Interlocked.Read(ref _peakRssKb)) && Interlocked.CompareExchange(ref _peakRssKb, kb, seen) != seen) { }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>/proc/net/tcp lines: "sl local_address rem_address st ... inode"; LISTEN is st 0A, the port is hex after the colon.</summary>
    private static IEnumerable<string> ListeningInodes(string table, int port)
    {
        if (!File.Exists(table)) yield break;
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || f[3] != "0A") continue;
            var colon = f[1].LastIndexOf(':');
            if (int.Parse(f[1][(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port) yield return f[9];
        }
    }
}
