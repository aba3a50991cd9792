using Quoncept.Sidecar.Actors.Placement;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class PlacementTableTests
{
    private const string Type = "SystemActor";
    private static readonly string[] Ids = Enumerable.Range(0, 5000).Select(i => $"system-{i}").ToArray();

    [Fact]
    public void Lookup_NoHost_ReturnsNull()
    {
        var table = new PlacementTable();
        Assert.Null(table.Lookup(Type, "1"));
        table.SetHost("a", ["Other"]);
        Assert.Null(table.Lookup(Type, "1"));
        Assert.False(table.IsTypeHosted(Type));
    }

    [Fact]
    public void Lookup_SameInputs_IsDeterministicAcrossTables()
    {
        var first = new PlacementTable();
        var second = new PlacementTable();
        foreach (var host in new[] { "h1", "h2", "h3" })
        {
            first.SetHost(host, [Type]);
        }
        foreach (var host in new[] { "h3", "h1", "h2" })
        {
            second.SetHost(host, [Type]);
        }
        Assert.All(Ids, id => Assert.Equal(first.Lookup(Type, id), second.Lookup(Type, id)));
    }

    [Fact]
    public void Lookup_ThreeHosts_SpreadsEvenly()
    {
        var table = new PlacementTable();
        foreach (var host in new[] { "app-0", "app-1", "app-2" })
        {
            table.SetHost(host, [Type]);
        }
        var counts = Ids.GroupBy(id => table.Lookup(Type, id)).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, Ids.Length / 3 * 0.85, Ids.Length / 3 * 1.15));
    }

    [Fact]
    public void Lookup_ReplicaChurn_EveryIdOnExactlyOneLiveHostWithMinimalMovement()
    {
        var table = new PlacementTable();
        var live = new HashSet<string>();
        var random = new Random(42);
        var nextHost = 0;
        for (var step = 0; step < 40; step++)
        {
            var before = Ids.ToDictionary(id => id, id => table.Lookup(Type, id));
            string? added = null;
            string? removed = null;
            if (live.Count < 2 || (live.Count < 8 && random.Next(2) == 0))
            {
                added = $"host-{nextHost++}";
                live.Add(added);
                table.SetHost(added, [Type]);
            }
            else
            {
                removed = live.ElementAt(random.Next(live.Count));
                live.Remove(removed);
                Assert.True(table.RemoveHost(removed));
            }

            foreach (var id in Ids)
            {
                var owner = table.Lookup(Type, id);
                Assert.NotNull(owner);
                Assert.Contains(owner, live);
                if (added is not null && before[id] is not null)
                {
                    // A new host only takes actors; nobody else moves.
                    Assert.True(owner == before[id] || owner == added, $"{id} moved from {before[id]} to {owner} when {added} joined");
                }
                if (removed is not null && before[id] != removed)
                {
                    // Only the departed host's actors move.
                    Assert.Equal(before[id], owner);
                }
            }
            if (added is not null && before.Values.All(v => v is not null))
            {
                var taken = Ids.Count(id => table.Lookup(Type, id) == added);
                Assert.InRange(taken, Ids.Length / live.Count * 0.7, Ids.Length / live.Count * 1.3);
            }
        }
    }

    [Fact]
    public void Lookup_HostComesBack_GetsItsActorsBack()
    {
        var table = new PlacementTable();
        table.SetHost("a", [Type]);
        table.SetHost("b", [Type]);
        var original = Ids.ToDictionary(id => id, id => table.Lookup(Type, id));
        table.RemoveHost("b");
        Assert.All(Ids, id => Assert.Equal("a", table.Lookup(Type, id)));
        table.SetHost("b", [Type]);
        Assert.All(Ids, id => Assert.Equal(original[id], table.Lookup(Type, id)));
    }

    [Fact]
    public void Lookup_PerType_OnlyHostsOfThatType()
    {
        var table = new PlacementTable();
        table.SetHost("sessions-0", ["SessionActor"]);
        table.SetHost("systems-0", ["SystemActor"]);
        table.SetHost("systems-1", ["SystemActor"]);
        Assert.All(Ids, id => Assert.Equal("sessions-0", table.Lookup("SessionActor", id)));
        Assert.All(Ids, id => Assert.StartsWith("systems-", table.Lookup("SystemActor", id)));
        var version = table.Version;
        table.SetHost("systems-1", ["SessionActor"]);
        Assert.True(table.Version > version);
        Assert.All(Ids, id => Assert.Equal("systems-0", table.Lookup("SystemActor", id)));
    }

    [Fact]
    public void RemoveHost_Unknown_ReturnsFalse() => Assert.False(new PlacementTable().RemoveHost("nope"));
}
