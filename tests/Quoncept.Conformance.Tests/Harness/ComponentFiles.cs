namespace Quoncept.Conformance.Tests.Harness;

/// <summary>The resources folder a daprd would be given: a SQLite state store that also holds actor state, and in-memory pub/sub.</summary>
internal static class ComponentFiles
{
    public const string StateStore = "statestore";
    public const string PubSub = "pubsub";

    public static string Write(string folder)
    {
        var resources = Path.Combine(folder, "resources");
        Directory.CreateDirectory(resources);
        File.WriteAllText(Path.Combine(resources, "statestore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {StateStore}
            spec:
              type: state.sqlite
              version: v1
              metadata:
                - name: connectionString
                  value: "{Path.Combine(folder, "state.db")}"
                - name: actorStateStore
                  value: "true"
            """);
        File.WriteAllText(Path.Combine(resources, "pubsub.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {PubSub}
            spec:
              type: pubsub.in-memory
              version: v1
            """);
        return resources;
    }
}
