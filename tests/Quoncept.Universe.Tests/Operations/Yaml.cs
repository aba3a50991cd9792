using YamlDotNet.RepresentationModel;

namespace Quoncept.Universe.Tests.Operations;

/// <summary>Small reads of YAML documents for the deployment-file checks: a path of keys, scalars, lists.</summary>
internal static class Yaml
{
    public static List<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }
        return node;
    }

    public static string? Text(this YamlNode? node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlSequenceNode list ? list.Children : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlMappingNode map ? map.Children.Select(c => (((YamlScalarNode)c.Key).Value ?? "", c.Value)) : [];
}
