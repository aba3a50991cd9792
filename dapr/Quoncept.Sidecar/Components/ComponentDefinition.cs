namespace Quoncept.Sidecar.Components;

/// <summary>
/// A parsed <c>kind: Component</c> file (https://docs.dapr.io/reference/resource-specs/component-schema/).
/// </summary>
internal sealed record ComponentDefinition(
    string Name,
    string Type,
    string Version,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Scopes,
    string SourceFile)
{
    /// <summary>True when <paramref name="appId"/> may use this component (no scopes means every app).</summary>
    public bool IsVisibleTo(string appId) => Scopes.Count == 0 || Scopes.Contains(appId, StringComparer.Ordinal);

    public bool MetadataFlag(string key) =>
        Metadata.TryGetValue(key, out var value) && bool.TryParse(value, out var flag) && flag;
}
