namespace Quoncept.Sidecar.Tests.Harness;

internal static class RepoRoot
{
    /// <summary>The folder holding Dapr.sln, found by walking up from the test binaries.</summary>
    public static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dapr.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Dapr.sln not found above " + AppContext.BaseDirectory);
    }
}
