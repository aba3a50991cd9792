namespace Quoncept.Sidecar.Api;

/// <summary>
/// Request paths as daprd routes them: its HTTP server cleans every path with Go's <c>path.Clean</c>
/// before routing (dapr/dapr pkg/api/http/middlewares.go, CleanPathMiddleware), so <c>//v1.0/actors/x</c>
/// (what the .NET SDK's actor proxy sends when its endpoint ends with a slash) is <c>/v1.0/actors/x</c>,
/// a trailing slash is dropped, and <c>.</c> / <c>..</c> segments are resolved without leaving the root.
/// </summary>
internal static class DaprPath
{
    /// <summary>Go's <c>path.Clean</c>: the shortest equivalent path; <c>"."</c> for an empty relative one.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }
        var rooted = path[0] == '/';
        var kept = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case ".." when kept.Count > 0 && kept[^1] != "..":
                    kept.RemoveAt(kept.Count - 1);
                    break;
                case ".." when rooted:
                    break;
                default:
                    kept.Add(segment);
                    break;
            }
        }
        var joined = string.Join('/', kept);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>
    /// A path on the app (an invoked method, a subscription route) relative to the app channel's root:
    /// cleaned, so <c>orders</c>, <c>/orders</c> and <c>/orders/</c> (Dapr.AspNetCore writes routes without
    /// the slash) all reach <c>/orders</c> and <c>../</c> never climbs out, as daprd's app channel does.
    /// </summary>
    public static string ForApp(string path) => Clean("/" + path).TrimStart('/');

    /// <summary>
    /// A request path as daprd routes it: <c>Clean("/" + path)</c>. The .NET SDK's actor proxy sends every call and
    /// state request as <c>//v1.0/actors/...</c>, so a path that only has its leading slash doubled loses it
    /// without being split and joined again.
    /// </summary>
    public static string CleanRequestPath(string path) =>
        !NeedsCleaning(path) ? path
        : path.StartsWith("//", StringComparison.Ordinal) && !NeedsCleaning(path.AsSpan(1)) ? path[1..]
        : Clean("/" + path);

    /// <summary>True when <see cref="Clean"/> would change the path (the common case, a clean path, allocates nothing).</summary>
    public static bool NeedsCleaning(ReadOnlySpan<char> path) =>
        path.Length == 0
        || (path.Length > 1 && path[^1] == '/')
        || path.Contains("//", StringComparison.Ordinal)
        || path.Contains("/./", StringComparison.Ordinal)
        || path.Contains("/../", StringComparison.Ordinal)
        || path.EndsWith("/.", StringComparison.Ordinal)
        || path.EndsWith("/..", StringComparison.Ordinal)
        || path[0] != '/';
}
