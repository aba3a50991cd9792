using Quoncept.Sidecar.PubSub;
using YamlDotNet.RepresentationModel;

namespace Quoncept.Sidecar.Components;

/// <summary>
/// Reads every <c>*.yaml</c>/<c>*.yml</c> file of the resources folders, as daprd's <c>--resources-path</c>:
/// <c>kind: Component</c> (https://docs.dapr.io/reference/resource-specs/component-schema/) and
/// <c>kind: Subscription</c> (https://docs.dapr.io/reference/resource-specs/subscription-schema/).
/// Other kinds are skipped with a warning. Any problem throws <see cref="ComponentLoadException"/>
/// naming the file and the field.
/// </summary>
internal static class ResourceLoader
{
    public static ResourceSet Load(IEnumerable<string> folders, ILogger logger)
    {
        var components = new List<ComponentDefinition>();
        var subscriptions = new List<SubscriptionSpec>();
        foreach (var folder in folders.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(folder))
            {
                throw new ComponentLoadException(folder, "resources folder does not exist");
            }
            var files = Directory.EnumerateFiles(folder)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                foreach (var document in YamlDocuments.Load(file, File.ReadAllText(file)))
                {
                    var kind = document.Scalar("kind", file);
                    switch (kind)
                    {
                        case "Component":
                            components.Add(ReadComponent(document, file));
                            break;
                        case "Subscription":
                            subscriptions.Add(ReadSubscription(document, file));
                            break;
                        case null or "":
                            throw new ComponentLoadException(file, $"line {document.Start.Line}: 'kind' is required (Component or Subscription)");
                        default:
                            logger.LogWarning("{File}: kind {Kind} is not supported by this runtime; skipped", file, kind);
                            break;
                    }
                }
            }
        }
        var duplicate = components.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ComponentLoadException(duplicate.Last().SourceFile,
                $"component name '{duplicate.Key}' is also defined in {duplicate.First().SourceFile}; names must be unique");
        }
        return new ResourceSet(components, subscriptions);
    }

    /// <summary>
    /// <code>apiVersion: dapr.io/v1alpha1 / kind: Component / metadata.name / spec.type, spec.version,
    /// spec.metadata[] {name, value | secretKeyRef}, spec.ignoreErrors / scopes[]</code>
    /// </summary>
    internal static ComponentDefinition ReadComponent(YamlMappingNode document, string file)
    {
        var apiVersion = document.Scalar("apiVersion", file);
        if (apiVersion != "dapr.io/v1alpha1")
        {
            throw new ComponentLoadException(file, $"component apiVersion must be dapr.io/v1alpha1, not '{apiVersion}'");
        }
        var metadata = document.Mapping("metadata", file) ?? throw new ComponentLoadException(file, "metadata.name is required");
        var name = metadata.RequiredScalar("name", file, "metadata");
        var spec = document.Mapping("spec", file) ?? throw new ComponentLoadException(file, $"component {name}: spec is required");
        var type = spec.RequiredScalar("type", file, "spec");
        var version = spec.Scalar("version", file) ?? "v1";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in spec.Sequence("metadata", file)?.Children ?? [])
        {
            if (item is not YamlMappingNode entry)
            {
                throw new ComponentLoadException(file, $"line {item.Start.Line}: component {name}: spec.metadata entries are {{name, value}} mappings");
            }
            var key = entry.RequiredScalar("name", file, "spec.metadata[]");
            if (entry.Child("secretKeyRef") is not null)
            {
                throw new ComponentLoadException(file,
                    $"component {name}: metadata '{key}' uses secretKeyRef, but this runtime has no secret stores; give the value inline with 'value'");
            }
            if (entry.Child("envRef") is not null)
            {
                var variable = entry.RequiredScalar("envRef", file, "spec.metadata[]");
                values[key] = Environment.GetEnvironmentVariable(variable)
                    ?? throw new ComponentLoadException(file, $"component {name}: metadata '{key}' refers to environment variable {variable}, which is not set");
                continue;
            }
            values[key] = entry.Scalar("value", file) ?? "";
        }
        if (spec.Scalar("ignoreErrors", file) is { } ignore)
        {
            values["__ignoreErrors"] = ignore;
        }
        return new ComponentDefinition(name, type, version, values, document.StringList("scopes", file), file);
    }

    /// <summary>
    /// <code>apiVersion: dapr.io/v2alpha1 (routes.rules[] {match, path}, routes.default) or
    /// dapr.io/v1alpha1 (route) / metadata.name / spec.pubsubname, spec.topic, spec.deadLetterTopic, spec.metadata / scopes[]</code>
    /// </summary>
    internal static SubscriptionSpec ReadSubscription(YamlMappingNode document, string file)
    {
        var apiVersion = document.Scalar("apiVersion", file);
        if (apiVersion is not ("dapr.io/v1alpha1" or "dapr.io/v2alpha1"))
        {
            throw new ComponentLoadException(file, $"subscription apiVersion must be dapr.io/v2alpha1 or dapr.io/v1alpha1, not '{apiVersion}'");
        }
        var name = document.Mapping("metadata", file)?.RequiredScalar("name", file, "metadata")
            ?? throw new ComponentLoadException(file, "metadata.name is required");
        var spec = document.Mapping("spec", file) ?? throw new ComponentLoadException(file, $"subscription {name}: spec is required");
        var topic = spec.RequiredScalar("topic", file, "spec");
        var pubsub = spec.RequiredScalar("pubsubname", file, "spec");
        var defaultPath = spec.Scalar("route", file);
        var rules = new List<(string, string)>();
        if (spec.Mapping("routes", file) is { } routes)
        {
            defaultPath = routes.Scalar("default", file) ?? defaultPath;
            foreach (var item in routes.Sequence("rules", file)?.Children ?? [])
            {
                if (item is not YamlMappingNode rule)
                {
                    throw new ComponentLoadException(file, $"line {item.Start.Line}: routes.rules entries are {{match, path}} mappings");
                }
                rules.Add((rule.RequiredScalar("match", file, "routes.rules[]"), rule.RequiredScalar("path", file, "routes.rules[]")));
            }
        }
        if (defaultPath is null && rules.Count == 0)
        {
            throw new ComponentLoadException(file, $"subscription {name}: give spec.route or spec.routes (rules and/or default)");
        }
        try
        {
            BulkSubscribeOptions? bulk = null;
            if (spec.Mapping("bulkSubscribe", file) is { } bulkNode && bulkNode.Scalar("enabled", file) is "true")
            {
                bulk = BulkSubscribeOptions.Create(Whole(bulkNode, "maxMessagesCount", file), Whole(bulkNode, "maxAwaitDurationMs", file));
            }
            return new SubscriptionSpec(pubsub, topic, SubscriptionSpec.BuildRules(rules, topic), defaultPath,
                spec.Scalar("deadLetterTopic", file), spec.StringMap("metadata", file), document.StringList("scopes", file),
                $"{file} (subscription {name})")
            {
                Bulk = bulk,
            };
        }
        catch (FormatException error)
        {
            throw new ComponentLoadException(file, $"subscription {name}: {error.Message}");
        }
    }

    private static int? Whole(YamlMappingNode node, string key, string file) =>
        node.Scalar(key, file) is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ComponentLoadException(file, $"bulkSubscribe.{key} '{text}' must be a whole number")
            : null;
}
