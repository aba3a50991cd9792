namespace Quoncept.Faults.Universe;

/// <summary>Where the repository and the built apps are, found from this program's location.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this program was built in (the apps are built alongside).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string AppDll(string projectDir, string assembly)
    {
        var path = Path.Combine(Root, projectDir, "bin", Configuration, "net10.0", assembly + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: run `dotnet build Dapr.sln -c {Configuration}` first.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dapr.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Dapr.sln not found above {AppContext.BaseDirectory}");
    }
}
