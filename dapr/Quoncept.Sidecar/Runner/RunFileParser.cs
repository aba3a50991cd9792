using System.Globalization;
using Quoncept.Sidecar.Components;
using YamlDotNet.RepresentationModel;

namespace Quoncept.Sidecar.Runner;

/// <summary>
/// The multi-app run file that <c>dapr run -f</c> reads
/// (https://docs.dapr.io/developing-applications/local-development/multi-app-dapr-run/multi-app-template/):
/// <code>
/// version: 1
/// common: { resourcesPath | resourcesPaths, configFilePath, env, logLevel, ... }
/// apps: [ { appID, appDirPath, appPort, daprHTTPPort, daprGRPCPort, command: [..], env, resourcesPath(s), configFilePath, appHealthCheckPath, ... } ]
/// </code>
/// <c>appDirPath</c> and <c>common</c> paths are relative to the run file's folder; an app's own
/// paths are relative to its <c>appDirPath</c>. Several entries may share an appID: they are replicas.
/// Fields of the Dapr format this runtime does not use are accepted; unknown fields are errors (typos).
/// </summary>
internal static class RunFileParser
{
    private static readonly HashSet<string> AppFields = new(StringComparer.Ordinal)
    {
        "appID", "appDirPath", "appPort", "daprHTTPPort", "daprGRPCPort", "command", "env", "resourcesPath", "resourcesPaths", "configFilePath",
        "appHealthCheckPath", "appProtocol", "logLevel", "metricsPort",
        // Accepted from the Dapr format, not used here:
        "appChannelAddress", "daprInternalGRPCPort", "appLogDestination", "daprdLogDestination", "appMaxConcurrency",
        "enableAppHealthCheck", "appHealthProbeInterval", "appHealthProbeTimeout", "appHealthThreshold", "enableApiLogging",
        "placementHostAddress", "schedulerHostAddress", "profilePort", "enableProfiling", "daprHTTPMaxRequestSize",
        "daprHTTPReadBufferSize", "maxBodySize", "readBufferSize", "unixDomainSocket", "containerImage", "containerImagePullPolicy",
        "createService", "daprPath", "runtimePath", "appSSL", "enableMetrics", "appDirPathAbs",
    };

    public static SidecarCommand Parse(string runFile, LogLevel? logLevelOverride = null)
    {
        var path = Directory.Exists(runFile) ? Path.Combine(runFile, "dapr.yaml") : runFile;
        if (!File.Exists(path))
        {
            throw new CommandLineException($"run file {path} does not exist");
        }
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        YamlMappingNode root;
        try
        {
            var documents = YamlDocuments.Load(path, File.ReadAllText(path));
            root = documents.Count == 1 ? documents[0] : throw new CommandLineException($"{path}: expected one YAML document");
        }
        catch (ComponentLoadException error)
        {
            throw new CommandLineException(error.Message);
        }
        return Wrap(path, () => Read(root, path, baseDir, logLevelOverride));
    }

    private static SidecarCommand Read(YamlMappingNode root, string file, string baseDir, LogLevel? logLevelOverride)
    {
        var version = root.Scalar("version", file);
        if (version is not "1")
        {
            throw new CommandLineException($"{file}: version must be 1, not '{version}'");
        }
        var common = root.Mapping("common", file) ?? new YamlMappingNode();
        var commonEnv = Env(common, file);
        var commonResources = Paths(common, file, baseDir);
        var commonConfig = common.Scalar("configFilePath", file) is { } cc ? Path.GetFullPath(cc, baseDir) : null;
        var logLevel = logLevelOverride ?? (common.Scalar("logLevel", file) is { } ll ? LogLevels.Parse(ll) : LogLevel.Information);
        var apps = new List<AppSpec>();
        var entries = root.Sequence("apps", file) ?? throw new CommandLineException($"{file}: 'apps' is required (a list of apps)");
        foreach (var item in entries.Children)
        {
            if (item is not YamlMappingNode app)
            {
                throw new CommandLineException($"{file}: line {item.Start.Line}: every entry of 'apps' is a mapping");
            }
            foreach (var key in app.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value ?? ""))
            {
                if (!AppFields.Contains(key))
                {
                    throw new CommandLineException($"{file}: line {app.Start.Line}: unknown app field '{key}'");
                }
            }
            var dir = Path.GetFullPath(app.RequiredScalar("appDirPath", file, "apps[]"), baseDir);
            if (!Directory.Exists(dir))
            {
                throw new CommandLineException($"{file}: line {app.Start.Line}: appDirPath {dir} does not exist");
            }
            var appId = app.Scalar("appID", file) ?? Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar));
            if (app.Scalar("appProtocol", file) is { } protocol && protocol != "http")
            {
                throw new CommandLineException($"{file}: app {appId}: appProtocol {protocol} is not supported (http only)");
            }
            var command = app.Sequence("command", file)?.Children
                .Select(c => c is YamlScalarNode { Value: { } s } ? s : throw new CommandLineException($"{file}: app {appId}: command entries must be strings"))
                .ToList();
            if (command is { Count: 0 })
            {
                command = null;
            }
            var env = new Dictionary<string, string>(commonEnv, StringComparer.Ordinal);
            foreach (var (k, v) in Env(app, file))
            {
                env[k] = v;
            }
            var resources = Paths(app, file, dir);
            apps.Add(new AppSpec(
                appId,
                dir,
                OptionalPort(app, "appPort", file, appId),
                OptionalPort(app, "daprHTTPPort", file, appId),
                command,
                env,
                resources.Count > 0 ? resources : commonResources,
                app.Scalar("configFilePath", file) is { } config ? Path.GetFullPath(config, dir) : commonConfig,
                app.Scalar("appHealthCheckPath", file))
            {
                SidecarGrpcPort = OptionalPort(app, "daprGRPCPort", file, appId),
                MetricsPort = OptionalPort(app, "metricsPort", file, appId),
            });
        }
        if (apps.Count == 0)
        {
            throw new CommandLineException($"{file}: 'apps' is empty");
        }
        // Apps may share one metrics port (one runtime process serves them all); an API port may not be one.
        var metricsPorts = apps.Select(a => a.MetricsPort).OfType<int>().Distinct();
        var duplicatePort = apps.SelectMany(a => new[] { a.SidecarHttpPort, a.SidecarGrpcPort }).OfType<int>().Concat(metricsPorts)
            .GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (duplicatePort is not null)
        {
            throw new CommandLineException($"{file}: port {duplicatePort.Key} is given more than once (daprHTTPPort / daprGRPCPort / metricsPort); every sidecar API needs its own port");
        }
        return new SidecarCommand(apps, logLevel, SidecarCommand.DefaultMaxRequestBodyBytes, []);
    }

    private static Dictionary<string, string> Env(YamlMappingNode node, string file)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in node.StringMap("env", file))
        {
            result[k] = v;
        }
        return result;
    }

    /// <summary><c>resourcesPaths</c> (list or comma-separated) and the deprecated <c>resourcesPath</c>.</summary>
    private static List<string> Paths(YamlMappingNode node, string file, string baseDir)
    {
        var paths = new List<string>();
        if (node.Scalar("resourcesPath", file) is { Length: > 0 } single)
        {
            paths.Add(single);
        }
        switch (node.Child("resourcesPaths"))
        {
            case YamlScalarNode { Value: { Length: > 0 } list }:
                paths.AddRange(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                break;
            case YamlSequenceNode:
                paths.AddRange(node.StringList("resourcesPaths", file));
                break;
        }
        return paths.Select(p => Path.GetFullPath(p, baseDir)).ToList();
    }

    private static int? OptionalPort(YamlMappingNode node, string key, string file, string appId)
    {
        var text = node.Scalar(key, file);
        if (text is null)
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new CommandLineException($"{file}: app {appId}: {key} '{text}' is not a port number");
    }

    private static T Wrap<T>(string file, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ComponentLoadException error)
        {
            throw new CommandLineException($"{file}: {error.Message}");
        }
    }
}
