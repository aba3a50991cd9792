using System.Globalization;
using System.Text;

namespace Quoncept.Faults.Universe;

/// <summary>A run file like dapr/dapr.yaml with absolute paths and free ports, and its components (SQLite state and in-memory pub/sub, or a profile's).</summary>
internal static class RunFiles
{
    public static void Write(string dir, int[] serviceAppPorts, int serviceReplicas, int[] gatewayAppPorts, int[] gatewayClientPorts, string? profile = null)
    {
        var components = Path.Combine(dir, "components");
        Directory.CreateDirectory(components);
        if (profile is not null)
        {
            // A profile's own component files, unchanged (they name their servers with envRef).
            foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "components", profile), "*.yaml"))
            {
                File.Copy(file, Path.Combine(components, Path.GetFileName(file)));
            }
        }
        else
        {
            WriteEmbedded(dir, components);
        }
        WriteRunFile(dir, components, serviceAppPorts, serviceReplicas, gatewayAppPorts, gatewayClientPorts);
    }

    private static void WriteEmbedded(string dir, string components)
    {
        File.WriteAllText(Path.Combine(components, "statestore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.sqlite
              version: v1
              metadata:
                - name: connectionString
                  value: "{Path.Combine(dir, "state.db")}"
                - name: actorStateStore
                  value: "true"
            """);
        File.WriteAllText(Path.Combine(components, "pubsub.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.in-memory
              version: v1
            """);
    }

    private static void WriteRunFile(string dir, string components, int[] serviceAppPorts, int serviceReplicas, int[] gatewayAppPorts, int[] gatewayClientPorts)
    {
        var run = new StringBuilder()
            .AppendLine("version: 1")
            .AppendLine("common:")
            .AppendLine(CultureInfo.InvariantCulture, $"  resourcesPath: {components}")
            .AppendLine("apps:");
        // Entries with one appID are replicas of that app (the runtime names them sessions-1, sessions-2, ...).
        for (var r = 0; r < serviceReplicas; r++)
        {
            run.Append(App("sessions", "services/Quoncept.Sessions", "Quoncept.Sessions", serviceAppPorts[3 * r]))
                .Append(App("characters", "services/Quoncept.Characters", "Quoncept.Characters", serviceAppPorts[3 * r + 1]))
                .Append(App("systems", "services/Quoncept.Systems", "Quoncept.Systems", serviceAppPorts[3 * r + 2]));
        }
        for (var i = 0; i < gatewayAppPorts.Length; i++)
        {
            run.Append(App("gateway", "services/Quoncept.Gateway", "Quoncept.Gateway", gatewayAppPorts[i],
                ("Quoncept__Gateway__Port", gatewayClientPorts[i].ToString(CultureInfo.InvariantCulture))));
        }
        File.WriteAllText(Path.Combine(dir, "dapr.yaml"), run.ToString());
    }

    private static string App(string appId, string project, string assembly, int appPort, params (string Key, string Value)[] env)
    {
        var lines = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"  - appID: {appId}")
            .AppendLine(CultureInfo.InvariantCulture, $"    appDirPath: {Path.Combine(RepoPaths.Root, project)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    appPort: {appPort}")
            .AppendLine(CultureInfo.InvariantCulture, $"    command: [\"dotnet\", \"{RepoPaths.AppDll(project, assembly)}\"]")
            .AppendLine("    env:");
        foreach (var (k, v) in env.Append(("ASPNETCORE_URLS", $"http://127.0.0.1:{appPort}")))
        {
            lines.AppendLine(CultureInfo.InvariantCulture, $"      {k}: \"{v}\"");
        }
        return lines.ToString();
    }
}
