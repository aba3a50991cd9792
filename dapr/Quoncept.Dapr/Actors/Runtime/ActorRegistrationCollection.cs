using System.Collections;
using System.Text.RegularExpressions;

namespace Quoncept.Dapr.Actors.Runtime;

/// <summary>The actor types this app hosts, as reported in <c>GET /dapr/config</c>.</summary>
public sealed partial class ActorRegistrationCollection : IReadOnlyCollection<ActorRegistration>
{
    private readonly Dictionary<string, ActorRegistration> _byName = new(StringComparer.Ordinal);

    public int Count => _byName.Count;

    /// <summary>Registers <typeparamref name="TActor"/> under its class name (or its [Actor(TypeName=...)]).</summary>
    public ActorRegistrationCollection Register<TActor>() where TActor : Actor =>
        Register<TActor>(ActorTypeInformation.Get(typeof(TActor)).DefaultTypeName);

    public ActorRegistrationCollection Register<TActor>(string typeName) where TActor : Actor
    {
        if (string.IsNullOrEmpty(typeName) || !TypeNamePattern().IsMatch(typeName))
        {
            throw new ArgumentException($"'{typeName}' is not a usable actor type name (letters, digits, '.', '-', '_').", nameof(typeName));
        }

        if (_byName.ContainsKey(typeName))
        {
            throw new ArgumentException($"Actor type '{typeName}' is registered twice.", nameof(typeName));
        }

        _byName.Add(typeName, new ActorRegistration(typeName, typeof(TActor)));
        return this;
    }

    internal bool TryGet(string typeName, out ActorRegistration registration) => _byName.TryGetValue(typeName, out registration!);

    public IEnumerator<ActorRegistration> GetEnumerator() => _byName.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex TypeNamePattern();
}
