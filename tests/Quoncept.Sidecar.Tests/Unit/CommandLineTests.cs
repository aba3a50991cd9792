using Quoncept.Sidecar.Runner;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Unit;

public sealed class CommandLineTests
{
    [Fact]
    public void DaprdFlags_AllImplemented_Parsed()
    {
        var command = SidecarCommandLine.Parse(["--app-id", "orders", "--app-port=5000", "-dapr-http-port", "3500",
            "--resources-path", "a", "--resources-path", "b", "--config", "c.yaml", "--app-protocol", "http", "--log-level", "debug", "--metrics-port", "9877"]);

        var app = Assert.Single(command.Apps);
        Assert.Equal("orders", app.AppId);
        Assert.Equal(5000, app.AppPort);
        Assert.Equal(3500, app.SidecarHttpPort);
        Assert.Equal(["a", "b"], app.ResourcesPaths);
        Assert.Equal("c.yaml", app.ConfigFile);
        Assert.Equal(LogLevel.Debug, command.LogLevel);
        Assert.Equal(9877, app.MetricsPort);
        Assert.Empty(command.Warnings);
    }

    [Fact]
    public void DaprdFlags_UnimplementedDaprdFlags_AcceptedWithWarningNamingThem()
    {
        var command = SidecarCommandLine.Parse(["--app-id", "x", "--dapr-grpc-port", "50001", "--placement-host-address", "localhost:50005",
            "--profile-port", "7777", "--enable-metrics", "--app-port", "1234"]);

        Assert.Equal(1234, command.Apps[0].AppPort);
        Assert.Equal(50001, command.Apps[0].SidecarGrpcPort);
        Assert.Equal(3, command.Warnings.Count);
        Assert.DoesNotContain(command.Warnings, w => w.Contains("--dapr-grpc-port", StringComparison.Ordinal));
        Assert.Contains(command.Warnings, w => w.Contains("--placement-host-address", StringComparison.Ordinal));
        Assert.Contains(command.Warnings, w => w.Contains("--profile-port", StringComparison.Ordinal));
        Assert.Contains(command.Warnings, w => w.Contains("--enable-metrics", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("unknown flag --app-idd", "--app-idd", "x")]
    [InlineData("not a port number", "--app-id", "x", "--app-port", "http")]
    [InlineData("not a port number", "--app-id", "x", "--dapr-http-port", "70000")]
    [InlineData("--app-protocol grpc is not supported", "--app-id", "x", "--app-protocol", "grpc")]
    [InlineData("--app-id is required", "--app-port", "1")]
    [InlineData("needs a value", "--app-id")]
    [InlineData("log level 'loud'", "--app-id", "x", "--log-level", "loud")]
    [InlineData("--dapr-grpc-port 'grpc' is not a port number", "--app-id", "x", "--dapr-grpc-port", "grpc")]
    [InlineData("the HTTP and gRPC APIs need ports of their own", "--app-id", "x", "--dapr-http-port", "3500", "--dapr-grpc-port", "3500")]
    public void DaprdFlags_BadInput_ClearError(string expected, params string[] args)
    {
        var error = Assert.Throws<CommandLineException>(() => SidecarCommandLine.Parse(args));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--app-id", "x" }, 50001)]
    [InlineData(new[] { "--app-id", "x", "--dapr-grpc-port", "4500" }, 4500)]
    [InlineData(new[] { "--app-id", "x", "--dapr-grpc-port=0" }, 0)]
    public void DaprdFlags_GrpcPort_DaprdDefaultGivenOrAnyFreeForZero(string[] args, int expected)
    {
        var app = Assert.Single(SidecarCommandLine.Parse(args).Apps);
        Assert.Equal(expected, app.SidecarGrpcPort);
    }

    [Fact]
    public void RunFile_AppsCommonAndReplicas_Parsed()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "svc"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "components"));
        var file = folder.Write("dapr.yaml", """
            version: 1
            common:
              resourcesPath: ./components
              configFilePath: ./config.yaml
              env:
                SHARED: "1"
            apps:
              - appID: orders
                appDirPath: ./svc
                appPort: 5001
                daprHTTPPort: 3601
                daprGRPCPort: 50011
                metricsPort: 9099
                command: ["dotnet", "run"]
                env:
                  OWN: two
              - appID: orders
                appDirPath: ./svc
                appPort: 5002
                command: ["dotnet", "run"]
                appLogDestination: console
            """);

        var command = SidecarCommandLine.Parse(["run", "-f", file]);

        Assert.Equal(2, command.Apps.Count);
        var first = command.Apps[0];
        Assert.Equal("orders", first.AppId);
        Assert.Equal(Path.Combine(folder.Path, "svc"), first.AppDirectory);
        Assert.Equal(5001, first.AppPort);
        Assert.Equal(3601, first.SidecarHttpPort);
        Assert.Equal(50011, first.SidecarGrpcPort);
        Assert.Equal(9099, first.MetricsPort);
        Assert.Null(command.Apps[1].MetricsPort);
        Assert.Equal(["dotnet", "run"], first.Command);
        Assert.Equal("1", first.Environment["SHARED"]);
        Assert.Equal("two", first.Environment["OWN"]);
        Assert.Equal([Path.Combine(folder.Path, "components")], first.ResourcesPaths);
        Assert.Equal(Path.Combine(folder.Path, "config.yaml"), first.ConfigFile);
        Assert.Null(command.Apps[1].SidecarHttpPort);
        Assert.Null(command.Apps[1].SidecarGrpcPort);
    }

    [Fact]
    public void Parse_RunFileWithResourcesPath_ReplacesEveryAppsComponents()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "components", "redis"));
        var file = folder.Write("dapr.yaml", """
            version: 1
            common:
              resourcesPath: ./components
            apps:
              - appID: orders
                appDirPath: .
                command: ["dotnet", "run"]
              - appID: stock
                appDirPath: .
                resourcesPath: ./elsewhere
                command: ["dotnet", "run"]
            """);

        var command = SidecarCommandLine.Parse(["run", "-f", file, "--resources-path", Path.Combine(folder.Path, "components", "redis")]);

        Assert.All(command.Apps, app => Assert.Equal([Path.Combine(folder.Path, "components", "redis")], app.ResourcesPaths));
        var missing = Assert.Throws<CommandLineException>(() => SidecarCommandLine.Parse(["run", "-f", file, "--resources-path", Path.Combine(folder.Path, "nope")]));
        Assert.Contains("no such folder", missing.Message);
    }

    [Theory]
    [InlineData("unknown app field 'appPrt'", "appPrt: 5000")]
    [InlineData("appPort 'five' is not a port number", "appPort: five")]
    [InlineData("appProtocol grpc is not supported", "appProtocol: grpc")]
    [InlineData("daprGRPCPort 'fast' is not a port number", "daprGRPCPort: fast")]
    [InlineData("port 3600 is given more than once", "daprHTTPPort: 3600\n    daprGRPCPort: 3600")]
    [InlineData("port 3600 is given more than once", "daprHTTPPort: 3600\n    metricsPort: 3600")]
    [InlineData("metricsPort '-1' is not a port number", "metricsPort: -1")]
    public void RunFile_BadAppEntry_ClearError(string expected, string line)
    {
        using var folder = new TempFolder();
        var file = folder.Write("dapr.yaml", $"""
            version: 1
            apps:
              - appID: a
                appDirPath: .
                {line}
            """);
        var error = Assert.Throws<CommandLineException>(() => SidecarCommandLine.Parse(["run", "-f", file]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunFile_Missing_ClearError()
    {
        var error = Assert.Throws<CommandLineException>(() => SidecarCommandLine.Parse(["run", "-f", "/nonexistent/dapr.yaml"]));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunFile_RepositoryRunFile_Parses()
    {
        var root = RepoRoot.Find();
        var command = SidecarCommandLine.Parse(["run", "-f", Path.Combine(root, "dapr", "dapr.yaml")]);
        Assert.NotEmpty(command.Apps);
        Assert.All(command.Apps, a => Assert.NotNull(a.Command));
        Assert.Contains(Path.Combine(root, "components"), command.ResourcesPaths);
    }

    [Fact]
    public void RunFile_RestartFlags_ParsedIntoThePolicy()
    {
        var root = RepoRoot.Find();
        var file = Path.Combine(root, "dapr", "dapr.yaml");

        Assert.Equal(RestartPolicy.Default, SidecarCommandLine.Parse(["run", "-f", file]).Restarts);
        var restarts = SidecarCommandLine.Parse(["run", "-f", file, "--max-restarts", "3", "--restart-window", "2m", "--restart-backoff", "250ms"]).Restarts;

        Assert.Equal(3, restarts.MaxRestarts);
        Assert.Equal(TimeSpan.FromMinutes(2), restarts.Window);
        Assert.Equal(TimeSpan.FromMilliseconds(250), restarts.InitialBackoff);
        Assert.Equal(TimeSpan.FromMilliseconds(250), restarts.BackoffAfter(1));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), restarts.BackoffAfter(3));
        Assert.Equal(RestartPolicy.Default.MaxBackoff, restarts.BackoffAfter(40));
        Assert.False(restarts.IsCrashLoop(3));
        Assert.True(restarts.IsCrashLoop(4));
    }

    [Theory]
    [InlineData("--max-restarts '-1' is not a count 0..1000", "--max-restarts", "-1")]
    [InlineData("--max-restarts 'many' is not a count", "--max-restarts", "many")]
    [InlineData("--max-restarts '1001' is not a count", "--max-restarts", "1001")]
    [InlineData("--restart-window '0s' is not a duration", "--restart-window", "0s")]
    [InlineData("--restart-window '10' is not a duration", "--restart-window", "10")]
    [InlineData("--restart-backoff '-1s' is not a duration", "--restart-backoff", "-1s")]
    [InlineData("--restart-backoff 120s is longer than --restart-window 60s", "--restart-backoff", "2m")]
    [InlineData("--max-restarts needs a value", "--max-restarts")]
    [InlineData("unknown option '--restarts' for run", "--restarts", "3")]
    public void RunFile_BadRestartFlag_ClearError(string expected, params string[] flags)
    {
        var file = Path.Combine(RepoRoot.Find(), "dapr", "dapr.yaml");
        var error = Assert.Throws<CommandLineException>(() => SidecarCommandLine.Parse(["run", "-f", file, .. flags]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
