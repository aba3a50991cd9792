namespace Quoncept.Sidecar.Runner;

/// <summary>
/// The two ways to start: <c>run -f FILE [--log-level L] [--resources-path DIR]...</c> (a multi-app run file; the
/// resources paths, when given, replace every app's, which is how <c>./run.sh --profile NAME</c> picks a profile's
/// components) or daprd flags.
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
                case "--resources-path":
                    var folder = Path.GetFullPath(Value());
                    resources.Add(Directory.Exists(folder) ? folder : throw new CommandLineException($"--resources-path {folder}: no such folder"));
                    break;
                default:
                    throw new CommandLineException($"unknown option '{args[i]}' for run: use run -f dapr/dapr.yaml [--log-level debug|info|warn|error] [--resources-path DIR]");
            }
        }
        var command = RunFileParser.Parse(file ?? throw new CommandLineException("run needs -f <run file>, e.g. run -f dapr/dapr.yaml"), logLevel);
        return resources.Count == 0 ? command : command with { Apps = [.. command.Apps.Select(a => a with { ResourcesPaths = resources })] };
    }
}
