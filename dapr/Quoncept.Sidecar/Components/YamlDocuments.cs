using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Quoncept.Sidecar.Components;

/// <summary>Small helpers over YamlDotNet's representation model with errors that name the file and field.</summary>
internal static class YamlDocuments
{
    /// <summary>Every document of a YAML file (<c>---</c> separated); a syntax error names the line.</summary>
    public static IReadOnlyList<YamlMappingNode> Load(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw new ComponentLoadException(file, $"invalid YAML at line {error.Start.Line}, column {error.Start.Column}: {error.InnerException?.Message ?? error.Message}");
        }
        var documents = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlMappingNode mapping:
                    documents.Add(mapping);
                    break;
                case YamlScalarNode { Value: null or "" }:
                    break;
                default:
                    throw new ComponentLoadException(file, $"line {document.RootNode.Start.Line}: expected a mapping (apiVersion, kind, metadata, spec)");
            }
        }
        return documents;
    }

    public static YamlNode? Child(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(this YamlMappingNode node, string key, string file)
    {
        return node.Child(key) switch
        {
            null => null,
            YamlScalarNode scalar => scalar.Value,
            var other => throw new ComponentLoadException(file, $"line {other.Start.Line}: '{key}' must be a single value"),
        };
    }

    public static string RequiredScalar(this YamlMappingNode node, string key, string file, string where)
    {
        var value = node.Scalar(key, file);
        return string.IsNullOrWhiteSpace(value)
            ? throw new ComponentLoadException(file, $"line {node.Start.Line}: {where}.{key} is required")
            : value;
    }

    public static YamlMappingNode? Mapping(this YamlMappingNode node, string key, string file) =>
        node.Child(key) switch
        {
            null => null,
            YamlMappingNode mapping => mapping,
            YamlScalarNode { Value: null or "" } => null,
            var other => throw new ComponentLoadException(file, $"line {other.Start.Line}: '{key}' must be a mapping"),
        };

    public static YamlSequenceNode? Sequence(this YamlMappingNode node, string key, string file) =>
        node.Child(key) switch
        {
            null => null,
            YamlSequenceNode sequence => sequence,
            YamlScalarNode { Value: null or "" } => null,
            var other => throw new ComponentLoadException(file, $"line {other.Start.Line}: '{key}' must be a list"),
        };

    public static IReadOnlyList<string> StringList(this YamlMappingNode node, string key, string file)
    {
        var sequence = node.Sequence(key, file);
        if (sequence is null)
        {
            return [];
        }
        return sequence.Children.Select(item => item is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw new ComponentLoadException(file, $"line {item.Start.Line}: every entry of '{key}' must be a string")).ToList();
    }

    /// <summary>A <c>metadata</c> mapping of string values (subscription and configuration metadata).</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this YamlMappingNode node, string key, string file)
    {
        var mapping = node.Mapping(key, file);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (mapping is null)
        {
            return result;
        }
        foreach (var (k, v) in mapping.Children)
        {
            result[((YamlScalarNode)k).Value ?? ""] = v is YamlScalarNode s
                ? s.Value ?? ""
                : throw new ComponentLoadException(file, $"line {v.Start.Line}: {key}.{k} must be a single value");
        }
        return result;
    }
}
