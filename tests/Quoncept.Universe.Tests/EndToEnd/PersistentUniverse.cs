namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>The universe on the embedded default state store (SQLite), for scenarios that restart it whole.</summary>
public sealed class PersistentUniverseFixture() : UniverseFixture(persistent: true);

[CollectionDefinition(Name)]
public sealed class PersistentUniverseCollection : ICollectionFixture<PersistentUniverseFixture>
{
    public const string Name = "persistent universe";
}
