using Quoncept.Sidecar.PubSub;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Components;

/// <summary>
/// Builds running components from definitions. A new component type (state.redis, pubsub.jetstream,
/// state.postgresql…) slots in as one more entry in <see cref="StateStores"/> or <see cref="PubSubs"/>.
/// An unknown type is an error that suggests the closest known type; a component with
/// <c>spec.ignoreErrors: true</c> that fails is skipped with a warning, as daprd does.
/// </summary>
internal static class ComponentFactory
{
    private static readonly Dictionary<string, Func<ComponentDefinition, ComponentContext, IStateStore>> StateStores = new(StringComparer.Ordinal)
    {
        ["state.in-memory"] = (d, c) => new InMemoryStateStore(d.Name, d.MetadataFlag("actorStateStore"), c.Time),
        ["state.sqlite"] = CreateSqlite,
        ["state.redis"] = (d, c) => RedisStateStore.Create(d, c.LoggerFactory.CreateLogger($"state.{d.Name}")),
        ["state.postgresql"] = (d, c) => PostgresStateStore.Create(d, c.LoggerFactory.CreateLogger($"state.{d.Name}")),
    };

    private static readonly Dictionary<string, Func<ComponentDefinition, ComponentContext, IPubSub>> PubSubs = new(StringComparer.Ordinal)
    {
        ["pubsub.in-memory"] = (d, c) => new InMemoryPubSub(d.Name, c.LoggerFactory.CreateLogger($"pubsub.{d.Name}")),
        ["pubsub.redis"] = (d, c) => RedisStreamsPubSub.Create(d, c.LoggerFactory.CreateLogger($"pubsub.{d.Name}")),
        ["pubsub.jetstream"] = (d, c) => JetStreamPubSub.Create(d, c.LoggerFactory.CreateLogger($"pubsub.{d.Name}")),
    };

    /// <summary>Dapr component types that exist but that this runtime does not carry yet.</summary>
    private static readonly string[] KnownDaprTypes =
    [
        "state.mongodb", "state.mysql", "state.cassandra", "state.azure.cosmosdb",
        "pubsub.kafka", "pubsub.rabbitmq", "pubsub.mqtt3", "pubsub.azure.servicebus.topics",
        "secretstores.local.file", "secretstores.local.env", "bindings.cron", "configuration.redis", "lock.redis",
    ];

    public static ComponentRegistry Build(IReadOnlyList<ComponentDefinition> definitions, ComponentContext context)
    {
        var stores = new List<LoadedComponent<IStateStore>>();
        var pubsubs = new List<LoadedComponent<IPubSub>>();
        var logger = context.LoggerFactory.CreateLogger("components");
        foreach (var definition in definitions)
        {
            try
            {
                if (definition.Version != "v1")
                {
                    throw new ComponentLoadException(definition.SourceFile, $"component {definition.Name}: {definition.Type} has no version '{definition.Version}' (use v1)");
                }
                if (StateStores.TryGetValue(definition.Type, out var store))
                {
                    stores.Add(new(definition, store(definition, context)));
                }
                else if (PubSubs.TryGetValue(definition.Type, out var pubsub))
                {
                    pubsubs.Add(new(definition, pubsub(definition, context)));
                }
                else
                {
                    throw new ComponentLoadException(definition.SourceFile, UnknownType(definition));
                }
                logger.LogInformation("component loaded: {Name} ({Type}/{Version}) from {File}", definition.Name, definition.Type, definition.Version, definition.SourceFile);
            }
            catch (Exception error) when (definition.MetadataFlag("__ignoreErrors"))
            {
                logger.LogWarning("component {Name} skipped (ignoreErrors: true): {Error}", definition.Name, error.Message);
            }
        }
        return new ComponentRegistry(stores, pubsubs);
    }

    private static string UnknownType(ComponentDefinition definition)
    {
        var implemented = StateStores.Keys.Concat(PubSubs.Keys).ToList();
        if (KnownDaprTypes.Contains(definition.Type, StringComparer.Ordinal))
        {
            return $"component {definition.Name}: type {definition.Type} is a Dapr component this runtime does not implement; available: {string.Join(", ", implemented)}";
        }
        var closest = implemented.Concat(KnownDaprTypes).MinBy(t => ComponentMetadata.EditDistance(t, definition.Type))!;
        var hint = ComponentMetadata.EditDistance(closest, definition.Type) <= 3 ? $" Did you mean '{closest}'?" : "";
        return $"component {definition.Name}: unknown component type '{definition.Type}'.{hint} Available: {string.Join(", ", implemented)}";
    }

    /// <summary>
    /// <c>state.sqlite</c> metadata: <c>connectionString</c> (a file path or SQLite connection string, required),
    /// <c>tableName</c> (default "state"), <c>actorStateStore</c>.
    /// </summary>
    private static SqliteStateStore CreateSqlite(ComponentDefinition definition, ComponentContext context)
    {
        if (!definition.Metadata.TryGetValue("connectionString", out var connection) || string.IsNullOrWhiteSpace(connection))
        {
            throw new ComponentLoadException(definition.SourceFile, $"component {definition.Name}: state.sqlite needs metadata connectionString (a file path such as .data/state.db)");
        }
        var table = definition.Metadata.GetValueOrDefault("tableName", "state");
        if (!table.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ComponentLoadException(definition.SourceFile, $"component {definition.Name}: tableName '{table}' may hold only letters, digits and '_'");
        }
        var connectionString = connection.Contains('=', StringComparison.Ordinal) ? connection : $"Data Source={connection}";
        try
        {
            return SqliteStateStore.Open(definition.Name, definition.MetadataFlag("actorStateStore"), connectionString, table, context.Time, context.LoggerFactory.CreateLogger("components"));
        }
        catch (Exception error) when (error is ArgumentException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new ComponentLoadException(definition.SourceFile, $"component {definition.Name}: cannot open SQLite database '{connection}': {error.Message}");
        }
    }
}
