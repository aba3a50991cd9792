using System.Diagnostics;
using Quoncept.ServiceDefaults.Hosting;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>
/// The built service processes, started with a broken data file or a bad setting: each stops at
/// start with one line naming what to fix and exit code 78 (EX_CONFIG), never a stack trace and
/// never a process that listens and then fails every request.
/// </summary>
public sealed class ServiceStartupTests : IDisposable
{
    private const string GoodKey = "test-only-signing-key-of-32-bytes-or-more!";
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("Quoncept.Sessions", "Quoncept__Data__Users", "users.tsv", "username\tcharacter_id\nalice\tc1\nbob\n", ":3: expected 2 tab-separated fields")]
    [InlineData("Quoncept.Characters", "Quoncept__Data__Characters", "characters.tsv", "character_id\tname\thome_system_id\nc1\t\ts1\n", ":2: field 'name': must be 1..64 characters")]
    [InlineData("Quoncept.Systems", "Quoncept__Data__Systems", "systems.tsv", "system_id\tname\tsecurity\tneighbours\ns1\tOne\t1.0\ts2\ns2\tTwo\t7\ts1\n", ":3: field 'security': '7' is not a number in [-1, 1]")]
    public async Task Start_BrokenDataFile_ExitsWithTheFileLineAndField(string service, string variable, string file, string content, string expected)
    {
        var path = _files.Write(file, content);
        var error = await StartExpectingFailureAsync(service, (variable, path));
        Assert.Contains(path + expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Quoncept.Gateway", "Quoncept__Jwt__SigningKey", "", "'Quoncept:Jwt:SigningKey' (env Quoncept__Jwt__SigningKey) is not set")]
    [InlineData("Quoncept.Sessions", "Quoncept__Jwt__SigningKey", "short", "'Quoncept:Jwt:SigningKey' is 5 bytes; HS256 needs at least 32")]
    [InlineData("Quoncept.Sessions", "Quoncept__Jwt__Lifetime", "45.00:00:00", "Quoncept:Jwt:Lifetime must be between 00:00:01 and 30.00:00:00")]
    [InlineData("Quoncept.Sessions", "Quoncept__Sessions__GracePeriod", "soon", "Quoncept:Sessions:GracePeriod")]
    [InlineData("Quoncept.Sessions", "Quoncept__Sessions__GracePeriod", "2.00:00:00", "Quoncept:Sessions:GracePeriod must be between 00:00:00.1 and 1.00:00:00")]
    [InlineData("Quoncept.Characters", "Quoncept__Tracing__SamplingRate", "2", "Quoncept:Tracing:SamplingRate must be a number from 0 to 1")]
    [InlineData("Quoncept.Systems", "Quoncept__Tracing__ZipkinEndpoint", "zipkin:9411", "Quoncept:Tracing:ZipkinEndpoint must be an absolute http(s) URL")]
    [InlineData("Quoncept.Systems", "Quoncept__Dapr__SidecarWaitTimeout", "-00:00:01", "Quoncept:Dapr:SidecarWaitTimeout must be a positive TimeSpan")]
    [InlineData("Quoncept.Chatlog", "Quoncept__Tracing__SamplingRate", "-1", "Quoncept:Tracing:SamplingRate must be a number from 0 to 1")]
    [InlineData("Quoncept.Gateway", "Quoncept__Gateway__OutboundQueueCapacity", "0", "Quoncept:Gateway:OutboundQueueCapacity must be 1..1000000, got 0")]
    [InlineData("Quoncept.Gateway", "Quoncept__Gateway__ChatsInFlightPerStream", "65", "Quoncept:Gateway:ChatsInFlightPerStream must be 1..64, got 65")]
    [InlineData("Quoncept.Gateway", "Quoncept__Gateway__TerminateWriteTimeout", "00:00:00", "Quoncept:Gateway:TerminateWriteTimeout must be a positive TimeSpan")]
    [InlineData("Quoncept.Gateway", "Quoncept__Gateway__Limits__RequestsPerSecond", "0", "Quoncept:Gateway:Limits:RequestsPerSecond must be 1..100000, got 0")]
    [InlineData("Quoncept.Gateway", "Quoncept__Gateway__Limits__MaxMessageBytes", "10", "Quoncept:Gateway:Limits:MaxMessageBytes must be 1024..67108864 (bytes), got 10")]
    [InlineData("Quoncept.Gateway", "Quoncept__Gateway__Browser__AllowedOrigins__0", "localhost:3000", "Quoncept:Gateway:Browser:AllowedOrigins: 'localhost:3000' is not an origin")]
    [InlineData("Quoncept.Gateway", "Quoncept__Gateway__Browser__WebRoot", "/nonexistent", "Quoncept:Gateway:Browser:WebRoot '/nonexistent': has no public/index.html")]
    public async Task Start_BadSetting_ExitsWithOneLineNamingIt(string service, string variable, string value, string expected)
    {
        var error = await StartExpectingFailureAsync(service, (variable, value));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NoSidecarWithinTheWait_ExitsSayingWhereItLooked()
    {
        var error = await StartExpectingFailureAsync("Quoncept.Characters", ("Quoncept__Dapr__SidecarWaitTimeout", "00:00:01"));
        Assert.Matches(@"no Dapr sidecar answered at http://(127\.0\.0\.1|localhost):9/? within 00:00:01", error);
    }

    /// <summary>Starts the service (no sidecar: DAPR_HTTP_PORT is the closed port 9) and returns its stderr once it exited with 78.</summary>
    private static async Task<string> StartExpectingFailureAsync(string service, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("dotnet", [ServiceDll(service)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment["Quoncept__Jwt__SigningKey"] = GoodKey;
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Quoncept__Gateway__Port"] = "0";
        info.Environment["DAPR_HTTP_PORT"] = "9";
        info.Environment["DAPR_GRPC_PORT"] = "9";
        foreach (var (name, value) in environment) info.Environment[name] = value;

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{service} did not exit within 60 s; output: {await stdout}");
        }

        var error = await stderr;
        Assert.True(process.ExitCode == ServiceDefaultsExtensions.ConfigurationExitCode, $"{service} exited {process.ExitCode}; stderr: {error}");
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("error: ", StringComparison.Ordinal));
        return error;
    }

    /// <summary>The service's own build output, in the configuration these tests were built with.</summary>
    private static string ServiceDll(string service)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(TempFiles.RepoRoot(), "services", service, "bin", configuration, "net10.0", service + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first (dotnet build Dapr.sln -c {configuration})");
        return dll;
    }
}
