using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Quoncept.Gateway.Browser;

/// <summary>
/// The page (client/web): its public/ folder at "/", and the runtimes it imports (the protobuf and
/// Connect packages installed by client/web/prepare.sh) from their node_modules ES module builds at
/// /vendor/{package}/, where the page's import map points. Nothing is bundled or built here.
/// </summary>
internal static class WebPage
{
    /// <summary>The npm packages the page imports, served from node_modules/{package}/dist/esm.</summary>
    public static readonly string[] Packages = ["@bufbuild/protobuf", "@connectrpc/connect", "@connectrpc/connect-web"];

    /// <summary>Null when <paramref name="root"/> holds a prepared page, else what is missing.</summary>
    public static string? Missing(string root)
    {
        if (!File.Exists(Path.Combine(root, "public", "index.html"))) return "has no public/index.html (point it at client/web)";
        if (!File.Exists(Path.Combine(root, "public", "gen", "quoncept", "v1", "stream_pb.js"))) return "has no generated protobuf code: run client/web/prepare.sh";
        foreach (var package in Packages)
        {
            if (!Directory.Exists(Path.Combine(root, "node_modules", package, "dist", "esm"))) return $"has no node_modules/{package}: run client/web/prepare.sh";
        }
        return null;
    }

    public static void Map(WebApplication app, string root)
    {
        var pages = new PhysicalFileProvider(Path.GetFullPath(Path.Combine(root, "public")));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = pages });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = pages, OnPrepareResponse = Revalidate });
        foreach (var package in Packages)
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = "/vendor/" + package,
                FileProvider = new PhysicalFileProvider(Path.GetFullPath(Path.Combine(root, "node_modules", package, "dist", "esm"))),
                OnPrepareResponse = Revalidate,
            });
        }
    }

    // The page and its modules change with the checkout: the browser asks again (ETag) instead of keeping a stale copy.
    private static void Revalidate(StaticFileResponseContext context) => context.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
}
