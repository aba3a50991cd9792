using System.Text.RegularExpressions;
using Quoncept.Contracts;
using Quoncept.Universe.Tests.EndToEnd;
using YamlDotNet.RepresentationModel;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>
/// What a wrong deployment file would break, checked on what kubectl renders for every overlay under dapr/k8s:
/// app ids and ports agree with dapr/dapr.yaml and tye.yaml, referenced configurations and the components the
/// code names exist, the gateway's client port is h2c with gRPC health probes, secrets come from a Secret,
/// resources and replicas are set, and the gateway runs replicas that each receive every live event.
/// </summary>
public sealed class DeploymentFilesTests
{
    private const string ClientPortUrl = "ASPNETCORE_URLS";

    public static TheoryData<string> Overlays() => new(DeploymentFiles.Overlays());

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kustomize_EveryOverlay_AppsAgreeWithTheRunFilesAndAreDeployable(string overlay)
    {
        var objects = DeploymentFiles.Render(overlay);
        var runFile = DeploymentFiles.RunFileApps();
        var tye = DeploymentFiles.TyeServices();
        var problems = new List<string>();
        var named = (string kind, string name) => objects.Any(o => o.Text("kind") == kind && o.Text("metadata", "name") == name);
        var daprApps = objects.Where(o => o.Text("kind") == "Deployment" && o.Text("spec", "template", "metadata", "annotations", "dapr.io/enabled") == "true").ToList();

        Assert.Equal(runFile.Keys.Order(), daprApps.Select(d => d.Text("spec", "template", "metadata", "annotations", "dapr.io/app-id")!).Order());
        foreach (var deployment in daprApps)
        {
            var annotations = deployment.At("spec", "template", "metadata", "annotations");
            var appId = annotations.Text("dapr.io/app-id")!;
            var appPort = int.Parse(annotations.Text("dapr.io/app-port") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var container = deployment.Items("spec", "template", "spec", "containers").First();
            var env = container.Items("env").ToDictionary(e => e.Text("name")!, e => e);
            var ports = container.Items("ports").Select(p => int.Parse(p.Text("containerPort")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            void Check(bool ok, string problem)
            {
                if (!ok) problems.Add($"{overlay}: {appId}: {problem}");
            }

            Check(tye.ContainsKey(appId), "not a service of tye.yaml");
            Check(appPort == runFile[appId], $"dapr.io/app-port {appPort} but dapr/dapr.yaml gives appPort {runFile[appId]}");
            Check(!tye.TryGetValue(appId, out var tyePort) || tyePort == appPort, $"dapr.io/app-port {appPort} but tye.yaml binds {tyePort}");
            Check(ports.Contains(appPort), $"the container does not expose the app port {appPort}");
            Check(annotations.Text("dapr.io/app-protocol") is null or "http", "dapr.io/app-protocol must be http (the apps serve Dapr's callbacks over HTTP)");
            Check(annotations.Text("dapr.io/config") is { } config && named("Configuration", config), $"dapr.io/config '{annotations.Text("dapr.io/config")}' is not a Configuration in the render");
            Check(int.TryParse(deployment.Text("spec", "replicas"), out var replicas) && replicas >= (appId == AppIds.Gateway ? 2 : 1),
                appId == AppIds.Gateway ? "the gateway needs replicas: 2 or more (any replica may lose its node)" : "replicas is not set");
            foreach (var c in deployment.Items("spec", "template", "spec", "containers"))
            {
                Check(c.Text("resources", "requests", "cpu") is not null && c.Text("resources", "requests", "memory") is not null && c.Text("resources", "limits", "memory") is not null,
                    $"container {c.Text("name")} lacks resources.requests.cpu/memory or resources.limits.memory");
                foreach (var variable in c.Items("env"))
                {
                    Check(!Regex.IsMatch(variable.Text("name")!, "key|secret|password|token", RegexOptions.IgnoreCase) || variable.At("value") is null,
                        $"{variable.Text("name")} is written inline; take it from a Secret");
                }
                foreach (var source in c.Items("envFrom").Select(e => e.Text("secretRef", "name")).OfType<string>())
                {
                    Check(named("Secret", source), $"envFrom secretRef {source} is not a Secret in the render");
                }
            }
            if (appId is AppIds.Sessions or AppIds.Gateway)
            {
                var secrets = container.Items("envFrom").Select(e => e.Text("secretRef", "name")).OfType<string>()
                    .Select(n => objects.FirstOrDefault(o => o.Text("kind") == "Secret" && o.Text("metadata", "name") == n)).OfType<YamlMappingNode>();
                Check(secrets.Any(s => s.At("data", "Quoncept__Jwt__SigningKey") is not null || s.At("stringData", "Quoncept__Jwt__SigningKey") is not null),
                    "Quoncept__Jwt__SigningKey does not come from a Secret");
            }
            if (appId == AppIds.Gateway)
            {
                Check(env.TryGetValue("APP_PORT", out var appPortVariable) && appPortVariable.Text("value") == appPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "APP_PORT must be the app port (the gateway serves its sidecar there, HTTP/1.1)");
                var urls = env.TryGetValue(ClientPortUrl, out var u) ? u.Text("value") ?? "" : "";
                var clientPort = ports.FirstOrDefault(p => p != appPort);
                Check(clientPort != 0 && urls.EndsWith(":" + clientPort, StringComparison.Ordinal), $"the client port is not exposed or not the one {ClientPortUrl} ('{urls}') serves");
                Check(container.Text("livenessProbe", "grpc", "port") == clientPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "livenessProbe must be gRPC health on the client port");
                Check(container.Text("readinessProbe", "grpc", "port") == clientPort.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && container.Text("readinessProbe", "grpc", "service") == Quoncept.V1.Gateway.Descriptor.FullName,
                    "readinessProbe must be gRPC health of quoncept.v1.Gateway on the client port");
                var service = objects.FirstOrDefault(o => o.Text("kind") == "Service" && o.Text("spec", "selector", "app") == deployment.Text("spec", "template", "metadata", "labels", "app"));
                Check(service is not null && service.Items("spec", "ports").Any(p => p.Text("targetPort") == clientPort.ToString(System.Globalization.CultureInfo.InvariantCulture) && p.Text("appProtocol") == "kubernetes.io/h2c"),
                    "no Service exposes the client port with appProtocol kubernetes.io/h2c (cleartext HTTP/2)");
            }
            else
            {
                Check(env.TryGetValue(ClientPortUrl, out var urls) && (urls.Text("value") ?? "").EndsWith(":" + appPort, StringComparison.Ordinal), $"{ClientPortUrl} must serve the app port {appPort}");
            }
        }

        // The components the code names (Topics.PubSub, the actor state store), and nothing secret written inline.
        var components = objects.Where(o => o.Text("kind") == "Component").ToList();
        Assert.True(components.Any(c => c.Text("metadata", "name") == Topics.PubSub && c.Text("spec", "type")!.StartsWith("pubsub.", StringComparison.Ordinal)), $"{overlay}: no pub/sub component named {Topics.PubSub}");
        Assert.Single(components, c => c.Items("spec", "metadata").Any(m => m.Text("name") == "actorStateStore" && m.Text("value") == "true"));
        foreach (var item in components.SelectMany(c => c.Items("spec", "metadata")))
        {
            if (Regex.IsMatch(item.Text("name")!, "password|secret|token", RegexOptions.IgnoreCase) && item.At("value") is not null)
            {
                problems.Add($"{overlay}: component metadata {item.Text("name")} is written inline; use secretKeyRef");
            }
        }
        // Every gateway replica gets every live event: its subscription asks for consumerID "{uuid}" (see
        // GatewaySubscription test); a component-wide fixed consumerID would put the replicas in one group to compete.
        var pubsub = components.Single(c => c.Text("metadata", "name") == Topics.PubSub);
        var consumerId = pubsub.Items("spec", "metadata").FirstOrDefault(m => m.Text("name") == "consumerID")?.Text("value");
        if (consumerId is not null && !consumerId.Contains("{uuid}", StringComparison.Ordinal) && !consumerId.Contains("{podName}", StringComparison.Ordinal))
        {
            problems.Add($"{overlay}: pubsub consumerID '{consumerId}' is the same for every gateway replica, so they would compete for live events");
        }
        Assert.DoesNotContain(objects, o => o.Text("kind") == "Subscription" && o.Text("spec", "topic") == Topics.Events && (o.Items("scopes").Any(s => ((YamlScalarNode)s).Value == AppIds.Gateway) || !o.Items("scopes").Any()));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Schemas_EveryOverlay_ValidForKubernetesAndDaprCrds(string overlay)
    {
        var (exitCode, report) = DeploymentFiles.ValidateSchemas(DeploymentFiles.RenderText(overlay));
        Assert.True(exitCode == 0, $"{overlay}: {report}");
    }

    [Theory]
    [InlineData("  replicas: 2\n", "  replicas: two\n", "spec/replicas must be integer")]
    [InlineData("  type: pubsub.", "  typ: pubsub.", "must NOT have additional properties")]
    [InlineData("  version: v1\n", "  version: 1\n", "spec/version must be string")]
    public void Schemas_InvalidField_Refused(string valid, string invalid, string expected)
    {
        var yaml = DeploymentFiles.RenderText(".");
        Assert.Contains(valid, yaml, StringComparison.Ordinal);
        var (exitCode, report) = DeploymentFiles.ValidateSchemas(yaml.Replace(valid, invalid, StringComparison.Ordinal));
        Assert.Equal(1, exitCode);
        Assert.Contains(expected, report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Quoncept.Sessions")]
    [InlineData("Quoncept.Characters")]
    [InlineData("Quoncept.Systems")]
    [InlineData("Quoncept.Gateway")]
    [InlineData("Quoncept.Chatlog")]
    public void Dockerfile_EachService_MultiStageNonRootWithHealthcheckItsProjectAndPorts(string project)
    {
        var appId = project["Quoncept.".Length..].ToLowerInvariant();
        var appPort = DeploymentFiles.RunFileApps()[appId];
        // One instruction per line: continuation lines joined, comments and blank lines dropped.
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "services", project, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var final = lines.Skip(lines.LastIndexOf(stages[^1])).ToList();

        Assert.True(stages.Count >= 2 && stages[0].Contains(" AS ", StringComparison.OrdinalIgnoreCase), "multi-stage: a build stage, then the runtime image");
        Assert.Contains(lines, l => l == $"RUN dotnet publish services/{project}/{project}.csproj -c Release -o /app");
        Assert.Contains(final, l => l == $"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]");
        Assert.Contains(final, l => l.StartsWith("USER ", StringComparison.Ordinal) && l is not ("USER root" or "USER 0"));
        Assert.Contains(final, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal) && l.Contains(appPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var exposed = final.Where(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal)).SelectMany(l => l[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains(appPort.ToString(System.Globalization.CultureInfo.InvariantCulture), exposed);
        var env = string.Join(' ', final.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)));
        if (appId == AppIds.Gateway)
        {
            // Clients on the gRPC port (h2c; run.sh's default 5080), the sidecar on APP_PORT.
            Assert.Contains("5080", exposed);
            Assert.Contains("ASPNETCORE_URLS=http://+:5080", env, StringComparison.Ordinal);
            Assert.Contains($"APP_PORT={appPort}", env, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"ASPNETCORE_URLS=http://+:{appPort}", env, StringComparison.Ordinal);
        }
    }
}
