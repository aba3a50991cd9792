namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>
/// The test classes that play against one running universe (the C# client's scenarios and the
/// real gRPC peers'): it starts once for all of them, and they take turns with it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class UniverseCollection : ICollectionFixture<UniverseFixture>
{
    public const string Name = "universe";
}
