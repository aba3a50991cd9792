namespace Quoncept.Benchmarks.Universe;

/// <summary>The repository root: the nearest directory above the binaries holding Dapr.sln.</summary>
internal static class RepoRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dapr.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Dapr.sln above {AppContext.BaseDirectory}");
    }
}
