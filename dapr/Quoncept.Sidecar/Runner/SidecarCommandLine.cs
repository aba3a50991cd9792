namespace Quoncept.Sidecar.Runner;

/// <summary>
/// The two ways to start: <c>run -f FILE [--log-level L] [--resources-path DIR]... [--max-restarts N] [--restart-window D]
/// [--restart-backoff D]</c> (a multi-app run file; the resources paths, when given, replace every app's, which is how
/// <c>./run.sh --profile NAME</c> picks a profile's components; the restart flags are this runtime's, as the run file
/// has no such fields) or daprd flags.
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
        var restarts = RestartPolicy.Default;
        List<string> resources = [];
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
                case "--max-restarts":
                    restarts = restarts with { MaxRestarts = RestartPolicy.ParseMaxRestarts(Value()) };
                    break;
                case "--restart-window":
                    restarts = restarts with { Window = RestartPolicy.ParseDuration("restart-window", Value()) };
                    break;
                case "--restart-backoff":
                    var backoff = RestartPolicy.ParseDuration("restart-backoff", Value());
                    restarts = restarts with { InitialBackoff = backoff, MaxBackoff = backoff > RestartPolicy.Default.MaxBackoff ? backoff : RestartPolicy.Default.MaxBackoff };
                    break;
                case "--resources-path":
                    var folder = Path.GetFullPath(Value());
                    resources.Add(Directory.Exists(folder) ? folder : throw new CommandLineException($"--resources-path {folder}: no such folder"));
                    break;
                default:
                    throw new CommandLineException($"unknown option '{args[i]}' for run: {RunUsage}");
            }
        }
        if (restarts.Problem() is { } problem)
        {
            throw new CommandLineException(problem);
        }
        var command = RunFileParser.Parse(file ?? throw new CommandLineException("run needs -f <run file>, e.g. run -f dapr/dapr.yaml"), logLevel) with { Restarts = restarts };
        return resources.Count == 0 ? command : command with { Apps = [.. command.Apps.Select(a => a with { ResourcesPaths = resources })] };
    }

    public const string RunUsage =
        "use run -f dapr/dapr.yaml [--log-level debug|info|warn|error] [--resources-path DIR] [--max-restarts N (default 5)] [--restart-window 60s] [--restart-backoff 1s]";
}
