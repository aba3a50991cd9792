using Microsoft.Extensions.Logging.Abstractions;
using Quoncept.Sidecar.Components;
using Quoncept.Sidecar.Tests.Harness;

namespace Quoncept.Sidecar.Tests.Unit;

public sealed class ComponentLoadingTests
{
    [Fact]
    public async Task Load_RepositoryComponents_SqliteActorStoreAndPubSub()
    {
        using var data = new TempFolder();
        var root = RepoRoot.Find();
        var set = ResourceLoader.Load([Path.Combine(root, "components")], NullLogger.Instance);
        var store = Assert.Single(set.Components, c => c.Name == "statestore");
        Assert.Equal("state.sqlite", store.Type);
        Assert.True(store.MetadataFlag("actorStateStore"));
        Assert.Equal("pubsub.in-memory", Assert.Single(set.Components, c => c.Name == "pubsub").Type);

        var local = store with { Metadata = new Dictionary<string, string>(store.Metadata) { ["connectionString"] = Path.Combine(data.Path, "s.db") } };
        await using var registry = ComponentFactory.Build([local], Context());
        Assert.NotNull(registry.FindActorStateStore("anyapp"));
    }

    [Theory]
    [InlineData("state.sqlitee", "Did you mean 'state.sqlite'?")]
    [InlineData("pubsub.in-memroy", "Did you mean 'pubsub.in-memory'?")]
    [InlineData("state.mongodb", "does not implement")]
    [InlineData("queue.fancy", "unknown component type 'queue.fancy'")]
    public void Build_UnknownType_ClearErrorWithSuggestion(string type, string expected)
    {
        var definition = Definition("broken", type);
        var error = Assert.Throws<ComponentLoadException>(() => ComponentFactory.Build([definition], Context()));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_IgnoreErrors_SkipsBrokenComponent()
    {
        var broken = Definition("broken", "state.nope", new() { ["__ignoreErrors"] = "true" });
        await using var registry = ComponentFactory.Build([broken, Definition("ok", "state.in-memory")], Context());
        Assert.Single(registry.StateStores);
    }

    [Fact]
    public void Load_SecretKeyRef_Rejected()
    {
        var error = LoadError("""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: store
            spec:
              type: state.sqlite
              version: v1
              metadata:
                - name: connectionString
                  secretKeyRef:
                    name: db
                    key: conn
            """);
        Assert.Contains("secretKeyRef", error.Message, StringComparison.Ordinal);
        Assert.Contains("no secret stores", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apiVersion: dapr.io/v9\nkind: Component\nmetadata:\n  name: a\nspec:\n  type: state.in-memory", "apiVersion must be dapr.io/v1alpha1")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {}\nspec:\n  type: state.in-memory", "metadata.name is required")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  version: v1", "spec.type is required")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec: [\n", "invalid YAML at line")]
    [InlineData("apiVersion: dapr.io/v1alpha1\nmetadata:\n  name: a", "'kind' is required")]
    public void Load_MalformedComponent_ClearError(string yaml, string expected)
    {
        Assert.Contains(expected, LoadError(yaml).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateNames_Rejected()
    {
        var error = LoadError("""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: twice
            spec:
              type: state.in-memory
              version: v1
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: twice
            spec:
              type: pubsub.in-memory
              version: v1
            """);
        Assert.Contains("'twice'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TwoActorStores_Rejected()
    {
        var flag = new Dictionary<string, string> { ["actorStateStore"] = "true" };
        var error = Assert.Throws<ComponentLoadException>(() => ComponentFactory.Build(
            [Definition("a", "state.in-memory", flag), Definition("b", "state.in-memory", flag)], Context()));
        Assert.Contains("exactly one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_Scopes_HideComponentFromOtherApps()
    {
        var scoped = Definition("private", "state.in-memory") with { Scopes = ["owner"] };
        await using var registry = ComponentFactory.Build([scoped, Definition("public", "state.in-memory")], Context());
        Assert.NotNull(registry.GetStateStore("private", "owner"));
        var error = Assert.Throws<Errors.DaprApiException>(() => registry.GetStateStore("private", "stranger"));
        Assert.Equal("ERR_STATE_STORE_NOT_FOUND", error.ErrorCode);
        Assert.Equal("ERR_ACTOR_RUNTIME_NOT_FOUND", Assert.Throws<Errors.DaprApiException>(() => registry.GetActorStateStore("owner")).ErrorCode);
    }

    [Fact]
    public void Load_SubscriptionWithUnsupportedRule_Rejected()
    {
        var error = LoadError("""
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: s
            spec:
              pubsubname: pubsub
              topic: t
              routes:
                rules:
                  - match: event.data.tags.exists(t, t == "x")
                    path: /x
            """);
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("subscription s", error.Message, StringComparison.Ordinal);
    }

    private static ComponentLoadException LoadError(string yaml)
    {
        using var folder = new TempFolder();
        folder.Write("c.yaml", yaml);
        return Assert.Throws<ComponentLoadException>(() => ResourceLoader.Load([folder.Path], NullLogger.Instance));
    }

    private static ComponentDefinition Definition(string name, string type, Dictionary<string, string>? metadata = null) =>
        new(name, type, "v1", metadata ?? [], [], "test.yaml");

    private static ComponentContext Context() => new(TimeProvider.System, NullLoggerFactory.Instance);
}
