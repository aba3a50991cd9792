using System.Runtime.InteropServices;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// A shell without job control starts background commands with SIGINT ignored (the <c>&amp;</c> of a script, a CI step),
/// and .NET keeps an ignored SIGINT ignored: Ctrl-C or <c>kill -INT</c> would then do nothing, and the runtime and its
/// apps would run on. daprd and the dapr CLI (Go, <c>signal.Notify</c>) take SIGINT back in that case and shut down,
/// so this runtime does too: SIGINT is set back to its default before .NET installs its own handler (on the first use
/// of the console, a process or a signal registration), and the host's Ctrl-C shutdown runs. As with daprd, the apps
/// it starts then get SIGINT at its default too, so a terminal's Ctrl-C reaches them beside the runtime.
/// </summary>
internal static class InheritedSignals
{
    private const int SigInt = 2;
    private const long SigIgn = 1;

    /// <summary>Call first thing in Main. Only an ignored SIGINT is changed; any other disposition is left alone.</summary>
    public static void TakeBackInterrupt()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        // struct sigaction starts with the handler on Linux and macOS; 256 bytes hold the whole struct on both.
        var current = new byte[256];
        if (SigAction(SigInt, IntPtr.Zero, current) == 0 && BitConverter.ToInt64(current, 0) == SigIgn) Signal(SigInt, IntPtr.Zero);
    }

    // DllImport, not LibraryImport: the generated stubs would need unsafe code for these two blittable calls.
    [DllImport("libc", EntryPoint = "sigaction")]
    private static extern int SigAction(int signal, IntPtr action, byte[] previous);

    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr Signal(int signal, IntPtr handler);
}
