using Quoncept.Characters.Catalog;
using Quoncept.ServiceDefaults.DataFiles;
using Quoncept.Sessions.Directory;
using Quoncept.Systems.Map;

namespace Quoncept.Universe.Tests.Domain;

public sealed class DataFileTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void UserDirectory_ValidFile_LoadsEveryUserSkippingCommentsAndBlankLines()
    {
        var path = _files.Write("users.tsv", "username\tcharacter_id\r\nalice\tc1\r\n# a comment\n\nbob\tc2\n");
        var users = UserDirectory.Load(path);
        Assert.Equal(2, users.Count);
        Assert.True(users.TryGetCharacter("bob", out var character));
        Assert.Equal("c2", character);
        Assert.False(users.TryGetCharacter("Bob", out _));
    }

    [Fact]
    public void UserDirectory_MissingFile_NamesThePath()
    {
        var error = Assert.Throws<DataFileException>(() => UserDirectory.Load(Path.Combine(_files.Root, "nope.tsv")));
        Assert.Contains("nope.tsv: file not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 0, null, "empty file")]
    [InlineData("user\tcharacter\n", 1, null, "header must be 'username<TAB>character_id'")]
    [InlineData("username\tcharacter_id\nalice\n", 2, null, "expected 2 tab-separated fields")]
    [InlineData("username\tcharacter_id\nalice\tc1\textra\n", 2, null, "expected 2 tab-separated fields")]
    [InlineData("username\tcharacter_id\n\tc1\n", 2, "username", "must be 1..64 characters")]
    [InlineData("username\tcharacter_id\nal ice\tc1\n", 2, "username", "has ' '")]
    [InlineData("username\tcharacter_id\nalice\tc1\nalice\tc2\n", 3, "username", "already on line 2")]
    [InlineData("username\tcharacter_id\nalice\tc1\nbob\tc1\n", 3, "character_id", "already belongs to the user on line 2")]
    [InlineData("username\tcharacter_id\n# only a comment\n", 0, null, "no users")]
    public void UserDirectory_BadFile_ErrorNamesLineAndField(string content, int line, string? field, string problem)
    {
        var path = _files.Write("users.tsv", content);
        var error = Assert.Throws<DataFileException>(() => UserDirectory.Load(path));
        Assert.Equal(line, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserDirectory_InvalidUtf8_ErrorNamesLine()
    {
        var path = Path.Combine(_files.Root, "users.tsv");
        File.WriteAllBytes(path, [.. "username\tcharacter_id\nalice\tc1\nb"u8, 0xFF, .. "b\tc2\n"u8]);
        var error = Assert.Throws<DataFileException>(() => UserDirectory.Load(path));
        Assert.Equal(3, error.Line);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("character_id\tname\thome_system_id\nc1\t \ts1\n", 2, "name", "not blank")]
    [InlineData("character_id\tname\thome_system_id\nc1\tAlice\t\n", 2, "home_system_id", "must be 1..64")]
    [InlineData("character_id\tname\thome_system_id\nc1\tAlice\ts1\nc1\tBob\ts1\n", 3, "character_id", "already on line 2")]
    public void CharacterCatalog_BadFile_ErrorNamesLineAndField(string content, int line, string field, string problem)
    {
        var path = _files.Write("characters.tsv", content);
        var error = Assert.Throws<DataFileException>(() => CharacterCatalog.Load(path));
        Assert.Equal(line, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StarMap_ValidFile_KnowsLanesBothWays()
    {
        var path = _files.Write("systems.tsv", "system_id\tname\tsecurity\tneighbours\ns1\tOne\t1.0\ts2\ns2\tTwo\t-0.5\ts1,s3\ns3\tThree\t0\ts2\n");
        var map = StarMap.Load(path);
        Assert.Equal(3, map.Count);
        Assert.True(map.AreNeighbours("s1", "s2"));
        Assert.True(map.AreNeighbours("s2", "s1"));
        Assert.False(map.AreNeighbours("s1", "s3"));
        Assert.True(map.TryGetView("s2", out var view));
        Assert.Equal(-0.5, view.Security);
        Assert.Equal(["One", "Three"], view.Neighbours.Select(n => n.Name));
    }

    [Theory]
    [InlineData("s1\tOne\t1.5\ts2\ns2\tTwo\t0\ts1\n", 2, "security", "not a number in [-1, 1]")]
    [InlineData("s1\tOne\tlow\ts2\ns2\tTwo\t0\ts1\n", 2, "security", "'low' is not a number")]
    [InlineData("s1\tOne\t1\t\ns2\tTwo\t0\ts1\n", 2, "neighbours", "at least one jump lane")]
    [InlineData("s1\tOne\t1\ts1\n", 2, "neighbours", "to itself")]
    [InlineData("s1\tOne\t1\ts2,s2\ns2\tTwo\t0\ts1\n", 2, "neighbours", "'s2' listed twice")]
    [InlineData("s1\tOne\t1\ts2,\ns2\tTwo\t0\ts1\n", 2, "neighbours", "empty or over-long")]
    [InlineData("s1\tOne\t1\ts9\n", 2, "neighbours", "lane to unknown system 's9'")]
    [InlineData("s1\tOne\t1\ts2\ns2\tTwo\t0\ts3\ns3\tThree\t0\ts2\n", 3, "neighbours", "'s2' must list 's1'")]
    [InlineData("s1\tOne\t1\ts2\ns2\tTwo\t0\ts1\ns3\tThree\t0\ts4\ns4\tFour\t0\ts3\n", 4, null, "not connected: only 2 of 4 systems")]
    public void StarMap_BadFile_ErrorNamesLineAndField(string rows, int line, string? field, string problem)
    {
        var path = _files.Write("systems.tsv", "system_id\tname\tsecurity\tneighbours\n" + rows);
        var error = Assert.Throws<DataFileException>(() => StarMap.Load(path));
        Assert.Equal(line, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
