namespace Quoncept.Sidecar.Runner;

/// <summary>
/// The two ways to start: <c>run -f FILE [--log-level L]</c> (a multi-app run file) or daprd flags.
/// </summary>
internal static class SidecarCommandLine
{
    public static SidecarCommand Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new CommandLineException(DaprdFlags.Usage);
        }
        if (args[0] != "run")
        {
            return DaprdFlags.Parse(args);
        }
        string? file = null;
        LogLevel? logLevel = null;
        for (var i = 1; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new CommandLineException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "-f" or "--run-file":
                    file = Value();
                    break;
                case "--log-level":
                    logLevel = LogLevels.Parse(Value());
                    break;
                default:
                    throw new CommandLineException($"unknown option '{args[i]}' for run: use run -f dapr/dapr.yaml [--log-level debug|info|warn|error]");
            }
        }
        return RunFileParser.Parse(file ?? throw new CommandLineException("run needs -f <run file>, e.g. run -f dapr/dapr.yaml"), logLevel);
    }
}
