using Quoncept.Characters.Catalog;
using Quoncept.Sessions.Directory;
using Quoncept.Systems.Map;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>The data files each service ships, checked together.</summary>
public sealed class ShippedDataTests
{
    private static readonly string Services = Path.Combine(TempFiles.RepoRoot(), "services");
    private static readonly Lazy<UserDirectory> Users = new(() => UserDirectory.Load(Path.Combine(Services, "Quoncept.Sessions", "data", "users.tsv")));
    private static readonly Lazy<CharacterCatalog> Characters = new(() => CharacterCatalog.Load(Path.Combine(Services, "Quoncept.Characters", "data", "characters.tsv")));
    private static readonly Lazy<StarMap> Map = new(() => StarMap.Load(Path.Combine(Services, "Quoncept.Systems", "data", "systems.tsv")));

    [Fact]
    public void Users_Shipped_HasTheNamedUsersAndAtLeastTenThousand()
    {
        Assert.True(Users.Value.Count >= 10_000, $"{Users.Value.Count} users");
        foreach (var name in new[] { "alice", "bob", "carol", "dave", "erin" })
        {
            Assert.True(Users.Value.TryGetCharacter(name, out _), name);
        }
    }

    [Fact]
    public void Users_Shipped_EveryCharacterExistsAndStartsInAKnownSystem()
    {
        foreach (var (username, characterId) in Users.Value.Entries)
        {
            Assert.True(Characters.Value.TryGet(characterId, out var character), $"{username} -> {characterId}");
            Assert.True(Map.Value.TryGet(character.HomeSystemId, out _), $"{characterId} home {character.HomeSystemId}");
        }
    }

    [Fact]
    public void NamedUsers_Shipped_StartInTheSameSystemSoTheyMeet()
    {
        var homes = new[] { "alice", "bob", "carol", "dave", "erin" }
            .Select(u => Users.Value.TryGetCharacter(u, out var c) && Characters.Value.TryGet(c, out var r) ? r.HomeSystemId : null)
            .Distinct()
            .ToList();
        Assert.Single(homes);
    }

    [Fact]
    public void LaneGraph_Shipped_HasAtLeast500SystemsAllReachableFromEach()
    {
        var map = Map.Value;
        Assert.True(map.Count >= 500, $"{map.Count} systems");
        var ids = map.All.Select(s => s.Id).ToList();
        foreach (var start in new[] { ids[0], ids[ids.Count / 2], ids[^1] })
        {
            Assert.Equal(map.Count, map.ReachableFrom(start).Count);
        }

        Assert.All(map.All, s => Assert.All(s.Neighbours, n => Assert.True(map.AreNeighbours(n, s.Id), $"{n} -> {s.Id}")));
    }
}
