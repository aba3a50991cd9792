using System.Diagnostics.CodeAnalysis;
using Quoncept.ServiceDefaults.DataFiles;

namespace Quoncept.Characters.Catalog;

/// <summary>
/// Every character's static information, read once at start-up from data/characters.tsv
/// (columns: character_id, name, home_system_id).
/// </summary>
internal sealed class CharacterCatalog
{
    public static readonly string[] Columns = ["character_id", "name", "home_system_id"];

    private readonly Dictionary<string, CharacterRecord> _byId;

    private CharacterCatalog(Dictionary<string, CharacterRecord> byId) => _byId = byId;

    public int Count => _byId.Count;

    public IEnumerable<CharacterRecord> All => _byId.Values;

    public bool TryGet(string id, [NotNullWhen(true)] out CharacterRecord? character) => _byId.TryGetValue(id, out character);

    public static CharacterCatalog Load(string path)
    {
        using var tsv = TsvReader.Open(path, Columns);
        var byId = new Dictionary<string, CharacterRecord>(capacity: 1024, StringComparer.Ordinal);
        var lineOf = new Dictionary<string, int>(capacity: 1024, StringComparer.Ordinal);
        while (tsv.Next())
        {
            var id = tsv.Id(0);
            if (!lineOf.TryAdd(id, tsv.LineNumber))
            {
                throw tsv.Error(0, $"character '{id}' already on line {lineOf[id]}");
            }

            byId.Add(id, new CharacterRecord(id, tsv.Name(1), tsv.Id(2)));
        }

        if (byId.Count == 0)
        {
            throw new DataFileException(path, 0, null, "no characters");
        }

        return new CharacterCatalog(byId);
    }
}
