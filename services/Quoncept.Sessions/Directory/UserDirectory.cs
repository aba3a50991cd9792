using System.Diagnostics.CodeAnalysis;
using Quoncept.ServiceDefaults.DataFiles;

namespace Quoncept.Sessions.Directory;

/// <summary>
/// Username -> character id, read once at start-up from data/users.tsv
/// (columns: username, character_id). Usernames and character ids are unique.
/// </summary>
internal sealed class UserDirectory
{
    public static readonly string[] Columns = ["username", "character_id"];

    private readonly Dictionary<string, string> _characterByUser;

    private UserDirectory(Dictionary<string, string> characterByUser) => _characterByUser = characterByUser;

    public int Count => _characterByUser.Count;

    public IEnumerable<KeyValuePair<string, string>> Entries => _characterByUser;

    public bool TryGetCharacter(string username, [NotNullWhen(true)] out string? characterId) =>
        _characterByUser.TryGetValue(username, out characterId);

    public static UserDirectory Load(string path)
    {
        using var tsv = TsvReader.Open(path, Columns);
        var users = new Dictionary<string, string>(capacity: 1024, StringComparer.Ordinal);
        var lineOfCharacter = new Dictionary<string, int>(capacity: 1024, StringComparer.Ordinal);
        var lineOfUser = new Dictionary<string, int>(capacity: 1024, StringComparer.Ordinal);
        while (tsv.Next())
        {
            var username = tsv.Id(0);
            var characterId = tsv.Id(1);
            if (!lineOfUser.TryAdd(username, tsv.LineNumber))
            {
                throw tsv.Error(0, $"username '{username}' already on line {lineOfUser[username]}");
            }

            if (!lineOfCharacter.TryAdd(characterId, tsv.LineNumber))
            {
                throw tsv.Error(1, $"character '{characterId}' already belongs to the user on line {lineOfCharacter[characterId]}");
            }

            users.Add(username, characterId);
        }

        if (users.Count == 0)
        {
            throw new DataFileException(path, 0, null, "no users");
        }

        return new UserDirectory(users);
    }
}
