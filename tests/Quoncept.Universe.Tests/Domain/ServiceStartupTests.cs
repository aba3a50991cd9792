using System.Diagnostics;
using Quoncept.ServiceDefaults.Hosting;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>The built service processes, started with a broken data file: a one-line error and exit code 78.</summary>
public sealed class ServiceStartupTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("Quoncept.Sessions", "Quoncept__Data__Users", "users.tsv", "username\tcharacter_id\nalice\tc1\nbob\n", ":3: expected 2 tab-separated fields")]
    [InlineData("Quoncept.Characters", "Quoncept__Data__Characters", "characters.tsv", "character_id\tname\thome_system_id\nc1\t\ts1\n", ":2: field 'name': must be 1..64 characters")]
    [InlineData("Quoncept.Systems", "Quoncept__Data__Systems", "systems.tsv", "system_id\tname\tsecurity\tneighbours\ns1\tOne\t1.0\ts2\ns2\tTwo\t7\ts1\n", ":3: field 'security': '7' is not a number in [-1, 1]")]
    public async Task Start_BrokenDataFile_ExitsWithTheFileLineAndField(string service, string variable, string file, string content, string expected)
    {
        var path = _files.Write(file, content);
        var dll = ServiceDll(service);
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment[variable] = path;
        info.Environment["Quoncept__Jwt__SigningKey"] = "test-only-signing-key-of-32-bytes-or-more!";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["DAPR_HTTP_PORT"] = "9";

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
            Assert.Fail($"{service} did not exit within 60 s on a broken {file}; output: {await stdout}");
        }

        Assert.Equal(ServiceDefaultsExtensions.DataFileExitCode, process.ExitCode);
        var error = await stderr;
        Assert.Contains(path + expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
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
