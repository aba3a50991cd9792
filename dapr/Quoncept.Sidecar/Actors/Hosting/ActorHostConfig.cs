using System.Text.Json;
using Quoncept.Sidecar.Actors.Durations;
using Quoncept.Sidecar.Api;

namespace Quoncept.Sidecar.Actors.Hosting;

/// <summary>
/// What an app hosts, from its <c>GET /dapr/config</c> answer
/// (https://docs.dapr.io/reference/api/actors_api/#get-registered-actors):
/// <c>{"entities":[..], "actorIdleTimeout":"1h", "actorScanInterval":"30s", "drainOngoingCallTimeout":"30s",
/// "drainRebalancedActors":true, "reentrancy":{"enabled":bool,"maxStackDepth":n}, "remindersStoragePartitions":n,
/// "entitiesConfig":[{"entities":[..], ...per-type overrides}]}</c>. Every field is optional.
/// </summary>
internal sealed class ActorHostConfig
{
    public static readonly ActorHostConfig None = new([], TimeSpan.FromSeconds(30), ActorTypeOptions.Default, new Dictionary<string, ActorTypeOptions>());

    private readonly ActorTypeOptions _defaults;
    private readonly IReadOnlyDictionary<string, ActorTypeOptions> _perType;

    private ActorHostConfig(IReadOnlyList<string> entities, TimeSpan scanInterval, ActorTypeOptions defaults, IReadOnlyDictionary<string, ActorTypeOptions> perType)
    {
        Entities = entities;
        ScanInterval = scanInterval;
        _defaults = defaults;
        _perType = perType;
    }

    public IReadOnlyList<string> Entities { get; }

    public TimeSpan ScanInterval { get; }

    public bool Hosts(string actorType) => Entities.Contains(actorType, StringComparer.Ordinal);

    public ActorTypeOptions For(string actorType) => _perType.GetValueOrDefault(actorType, _defaults);

    /// <summary>Parses the app's answer; throws <see cref="FormatException"/> naming the bad field.</summary>
    public static ActorHostConfig Parse(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return None;
        }
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException error)
        {
            throw new FormatException($"/dapr/config is not valid JSON: {error.Message}", error);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("/dapr/config must be a JSON object");
            }
            var entities = ReadEntities(root, "entities");
            var scanInterval = ReadDuration(root, "actorScanInterval") ?? None.ScanInterval;
            var defaults = ReadOptions(root, ActorTypeOptions.Default, "");
            var perType = new Dictionary<string, ActorTypeOptions>(StringComparer.Ordinal);
            if (JsonFields.TryGet(root, "entitiesConfig", out var entitiesConfig) && entitiesConfig.ValueKind != JsonValueKind.Null)
            {
                if (entitiesConfig.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException("/dapr/config: entitiesConfig must be an array");
                }
                var index = 0;
                foreach (var entry in entitiesConfig.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object)
                    {
                        throw new FormatException($"/dapr/config: entitiesConfig[{index}] must be an object");
                    }
                    var options = ReadOptions(entry, defaults, $"entitiesConfig[{index}].");
                    foreach (var type in ReadEntities(entry, "entities"))
                    {
                        if (!entities.Contains(type, StringComparer.Ordinal))
                        {
                            throw new FormatException($"/dapr/config: entitiesConfig[{index}] configures '{type}', which is not in entities");
                        }
                        perType[type] = options;
                    }
                    index++;
                }
            }
            return new ActorHostConfig(entities, scanInterval, defaults, perType);
        }
    }

    private static string[] ReadEntities(JsonElement element, string name)
    {
        if (!JsonFields.TryGet(element, name, out var entities) || entities.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (entities.ValueKind != JsonValueKind.Array || entities.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || e.GetString() is null or ""))
        {
            throw new FormatException($"/dapr/config: {name} must be an array of non-empty actor type names");
        }
        return entities.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static ActorTypeOptions ReadOptions(JsonElement element, ActorTypeOptions inherited, string prefix)
    {
        var options = inherited with
        {
            IdleTimeout = ReadDuration(element, "actorIdleTimeout", prefix) ?? inherited.IdleTimeout,
            DrainOngoingCallTimeout = ReadDuration(element, "drainOngoingCallTimeout", prefix) ?? inherited.DrainOngoingCallTimeout,
        };
        if (JsonFields.TryGet(element, "drainRebalancedActors", out var drain) && drain.ValueKind != JsonValueKind.Null)
        {
            options = options with { DrainRebalancedActors = drain.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new FormatException($"/dapr/config: {prefix}drainRebalancedActors must be true or false"),
            } };
        }
        if (JsonFields.TryGet(element, "remindersStoragePartitions", out var partitions) && partitions.ValueKind != JsonValueKind.Null)
        {
            if (partitions.ValueKind != JsonValueKind.Number || !partitions.TryGetInt64(out var count))
            {
                throw new FormatException($"/dapr/config: {prefix}remindersStoragePartitions must be an integer, got {partitions.GetRawText()}");
            }
            options = options with { RemindersStoragePartitions = (int)Math.Clamp(count, int.MinValue, int.MaxValue) };
        }
        if (JsonFields.TryGet(element, "reentrancy", out var reentrancy) && reentrancy.ValueKind != JsonValueKind.Null)
        {
            if (reentrancy.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"/dapr/config: {prefix}reentrancy must be an object");
            }
            if (JsonFields.TryGet(reentrancy, "enabled", out var enabled) && enabled.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                options = options with { Reentrancy = enabled.GetBoolean() };
            }
            else if (JsonFields.TryGet(reentrancy, "enabled", out enabled) && enabled.ValueKind != JsonValueKind.Null)
            {
                throw new FormatException($"/dapr/config: {prefix}reentrancy.enabled must be true or false");
            }
            if (JsonFields.TryGet(reentrancy, "maxStackDepth", out var depth) && depth.ValueKind != JsonValueKind.Null)
            {
                if (!depth.TryGetInt32(out var value) || value < 1)
                {
                    throw new FormatException($"/dapr/config: {prefix}reentrancy.maxStackDepth must be a positive integer");
                }
                options = options with { MaxStackDepth = value };
            }
        }
        return options;
    }

    private static TimeSpan? ReadDuration(JsonElement element, string name, string prefix = "")
    {
        if (!JsonFields.TryGet(element, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || !GoDuration.TryParse(value.GetString(), out var duration) || duration <= TimeSpan.Zero)
        {
            throw new FormatException($"/dapr/config: {prefix}{name} must be a positive Go duration such as \"30s\" or \"1h\", got {value.GetRawText()}");
        }
        return duration;
    }
}
