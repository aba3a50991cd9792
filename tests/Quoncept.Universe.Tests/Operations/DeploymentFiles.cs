using System.Diagnostics;
using Quoncept.Universe.Tests.EndToEnd;
using YamlDotNet.RepresentationModel;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>
/// The deployment files as the tools read them: every kustomize overlay under dapr/k8s (and dapr/k8s-*) rendered by the real
/// <c>kubectl kustomize</c> (in a copy, with a made-up jwt.env where a secretGenerator wants one), and the app
/// ids and ports of dapr/dapr.yaml and tye.yaml.
/// </summary>
internal static class DeploymentFiles
{
    public static readonly string K8s = Path.Combine(RepoPaths.Root, "dapr", "k8s");

    private static readonly string Dapr = Path.Combine(RepoPaths.Root, "dapr");

    /// <summary>
    /// Every folder with a kustomization.yaml under dapr/k8s and its sibling variants (dapr/k8s-nats, ...): "." for
    /// dapr/k8s itself, else the folder relative to dapr/k8s ("../k8s-nats").
    /// </summary>
    public static IEnumerable<string> Overlays() =>
        KustomizeFolders()
            .SelectMany(root => Directory.EnumerateFiles(root, "kustomization.yaml", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(K8s, Path.GetDirectoryName(f)!))
            .Order(StringComparer.Ordinal);

    private static IEnumerable<string> KustomizeFolders() =>
        Directory.EnumerateDirectories(Dapr, "k8s*").Where(d => Path.GetFileName(d) == "k8s" || Path.GetFileName(d).StartsWith("k8s-", StringComparison.Ordinal));

    public static List<YamlMappingNode> Render(string overlay) => Yaml.Documents(RenderText(overlay));

    /// <summary>What <c>kubectl kustomize</c> prints for the overlay: the objects as multi-document YAML.</summary>
    public static string RenderText(string overlay)
    {
        var copy = Directory.CreateTempSubdirectory("quoncept-k8s-").FullName;
        try
        {
            foreach (var file in KustomizeFolders().SelectMany(root => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(Dapr, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (Path.GetFileName(file) != "jwt.env") File.Copy(file, target);
            }
            foreach (var kustomization in Directory.EnumerateFiles(copy, "kustomization.yaml", SearchOption.AllDirectories))
            {
                var folder = Path.GetDirectoryName(kustomization)!;
                foreach (var generator in Yaml.Documents(File.ReadAllText(kustomization)).SelectMany(d => d.Items("secretGenerator")))
                {
                    foreach (var env in generator.Items("envs").Select(e => ((YamlScalarNode)e).Value!))
                    {
                        var path = Path.Combine(folder, env);
                        if (!File.Exists(path)) File.WriteAllText(path, "Quoncept__Jwt__SigningKey=a-test-key-that-is-at-least-32-bytes-long\n");
                    }
                }
            }
            var kubectl = new[] { "/usr/bin/kubectl", "/usr/local/bin/kubectl" }.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("kubectl is not installed (the image has kubectl 1.32 with kustomize at /usr/bin/kubectl)");
            var info = new ProcessStartInfo(kubectl, ["kustomize", Path.GetFullPath(Path.Combine(copy, "k8s", overlay))]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60))) process.Kill();
            if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize {overlay} failed ({process.ExitCode}): {error.Result}");
            return output.Result;
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>
    /// Runs tests/node/k8s-schema/validate.mjs on <paramref name="yaml"/>: the Kubernetes schemas (npm kubernetes-models)
    /// and Dapr's CRD schemas (checked in, undeclared fields refused). Returns its exit code and report.
    /// </summary>
    public static (int ExitCode, string Report) ValidateSchemas(string yaml)
    {
        var folder = Path.Combine(RepoPaths.Root, "tests", "node", "k8s-schema");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "kubernetes-models")))
        {
            throw new InvalidOperationException("kubernetes-models is not installed in tests/node/k8s-schema: run ./test.sh (it runs npm ci there).");
        }
        var info = new ProcessStartInfo("node", ["validate.mjs"])
        {
            WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(yaml);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60))) process.Kill();
        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>appID → appPort of the first entry of each app in dapr/dapr.yaml.</summary>
    public static Dictionary<string, int> RunFileApps()
    {
        var run = Yaml.Documents(File.ReadAllText(Path.Combine(RepoPaths.Root, "dapr", "dapr.yaml")))[0];
        var apps = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var app in run.Items("apps")) apps.TryAdd(app.Text("appID")!, int.Parse(app.Text("appPort")!, System.Globalization.CultureInfo.InvariantCulture));
        return apps;
    }

    /// <summary>service name → its first binding's port in tye.yaml.</summary>
    public static Dictionary<string, int> TyeServices()
    {
        var tye = Yaml.Documents(File.ReadAllText(Path.Combine(RepoPaths.Root, "tye.yaml")))[0];
        return tye.Items("services").ToDictionary(s => s.Text("name")!, s => int.Parse(s.Items("bindings").First().Text("port")!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
