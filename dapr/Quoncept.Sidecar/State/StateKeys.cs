namespace Quoncept.Sidecar.State;

/// <summary>
/// Dapr's fixed key scheme (https://docs.dapr.io/reference/api/state_api/#key-scheme):
/// <c>{appId}||{key}</c> for app state, <c>{appId}||{actorType}||{actorId}||{key}</c> for actor state.
/// </summary>
internal static class StateKeys
{
    public const string Separator = "||";

    public static string ForApp(string appId, string key) => appId + Separator + key;

    public static string ForActor(string appId, string actorType, string actorId, string key) =>
        appId + Separator + actorType + Separator + actorId + Separator + key;

    /// <summary>The key without its app prefix, for messages and responses.</summary>
    public static string UserKey(string storeKey)
    {
        var at = storeKey.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? storeKey : storeKey[(at + Separator.Length)..];
    }
}
