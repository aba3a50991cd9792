using System.Diagnostics.CodeAnalysis;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.DataFiles;

namespace Quoncept.Systems.Map;

/// <summary>
/// The systems and their jump lanes, read once at start-up from data/systems.tsv
/// (columns: system_id, name, security, neighbours; neighbours = comma-separated system ids).
/// Lanes are two-way and must be listed at both ends; the lane graph must be connected so that
/// every system can be reached from every other.
/// </summary>
internal sealed class StarMap
{
    public static readonly string[] Columns = ["system_id", "name", "security", "neighbours"];

    private readonly Dictionary<string, StarSystem> _byId;
    private readonly Dictionary<string, SystemInfoView> _views;

    private StarMap(Dictionary<string, StarSystem> byId)
    {
        _byId = byId;
        _views = new Dictionary<string, SystemInfoView>(byId.Count, StringComparer.Ordinal);
        foreach (var system in byId.Values)
        {
            var neighbours = system.Neighbours.Select(n => new SystemRefView(n, byId[n].Name)).ToArray();
            _views.Add(system.Id, new SystemInfoView(system.Id, system.Name, system.Security, neighbours));
        }
    }

    public int Count => _byId.Count;

    public IEnumerable<StarSystem> All => _byId.Values;

    public bool TryGet(string id, [NotNullWhen(true)] out StarSystem? system) => _byId.TryGetValue(id, out system);

    public bool TryGetView(string id, [NotNullWhen(true)] out SystemInfoView? view) => _views.TryGetValue(id, out view);

    public bool AreNeighbours(string from, string to) => _byId.TryGetValue(from, out var system) && system.Neighbours.Contains(to);

    /// <summary>The systems reachable from <paramref name="start"/> along lanes (breadth-first), itself included.</summary>
    public HashSet<string> ReachableFrom(string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.TryDequeue(out var id))
        {
            foreach (var next in _byId[id].Neighbours)
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen;
    }

    public static StarMap Load(string path)
    {
        var byId = new Dictionary<string, StarSystem>(StringComparer.Ordinal);
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var tsv = TsvReader.Open(path, Columns))
        {
            while (tsv.Next())
            {
                var id = tsv.Id(0);
                if (!lineOf.TryAdd(id, tsv.LineNumber))
                {
                    throw tsv.Error(0, $"system '{id}' already on line {lineOf[id]}");
                }

                var neighbours = ParseNeighbours(tsv, id);
                byId.Add(id, new StarSystem(id, tsv.Name(1), tsv.Number(2, -1.0, 1.0), neighbours));
            }
        }

        if (byId.Count == 0)
        {
            throw new DataFileException(path, 0, null, "no systems");
        }

        foreach (var system in byId.Values)
        {
            foreach (var neighbour in system.Neighbours)
            {
                if (!byId.TryGetValue(neighbour, out var other))
                {
                    throw new DataFileException(path, lineOf[system.Id], Columns[3], $"lane to unknown system '{neighbour}'");
                }

                if (!other.Neighbours.Contains(system.Id))
                {
                    throw new DataFileException(path, lineOf[neighbour], Columns[3], $"lanes are two-way: '{neighbour}' must list '{system.Id}' (line {lineOf[system.Id]} lists '{neighbour}')");
                }
            }
        }

        var map = new StarMap(byId);
        var first = byId.Keys.First();
        var reachable = map.ReachableFrom(first);
        if (reachable.Count != byId.Count)
        {
            var stranded = byId.Keys.First(id => !reachable.Contains(id));
            throw new DataFileException(path, lineOf[stranded], null, $"the lane graph is not connected: only {reachable.Count} of {byId.Count} systems can be reached from '{first}'; '{stranded}' cannot");
        }

        return map;
    }

    private static string[] ParseNeighbours(TsvReader tsv, string self)
    {
        var field = tsv.Span(3);
        if (field.IsEmpty)
        {
            throw tsv.Error(3, "a system needs at least one jump lane");
        }

        var neighbours = new List<string>(8);
        foreach (var range in field.Split(','))
        {
            var id = field[range];
            if (id.IsEmpty || id.Length > 64)
            {
                throw tsv.Error(3, "empty or over-long system id in the list (write ids separated by single commas)");
            }

            var text = id.ToString();
            if (text == self)
            {
                throw tsv.Error(3, $"a lane from '{self}' to itself");
            }

            if (neighbours.Contains(text))
            {
                throw tsv.Error(3, $"'{text}' listed twice");
            }

            neighbours.Add(text);
        }

        return [.. neighbours];
    }
}
