using System.Text;
using Quoncept.Sidecar.Actors.Hosting;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class ActorHostConfigTests
{
    [Fact]
    public void Parse_FullConfig_RootValuesAndPerTypeOverrides()
    {
        var config = Parse("""
            {"entities":["A","B"],"actorIdleTimeout":"1h","actorScanInterval":"30s","drainOngoingCallTimeout":"30s",
             "drainRebalancedActors":true,"reentrancy":{"enabled":true,"maxStackDepth":32},"remindersStoragePartitions":7,
             "entitiesConfig":[{"entities":["B"],"actorIdleTimeout":"1m","drainOngoingCallTimeout":"10s","reentrancy":{"enabled":false}}]}
            """);
        Assert.Equal(["A", "B"], config.Entities);
        Assert.Equal(TimeSpan.FromSeconds(30), config.ScanInterval);
        Assert.Equal(new ActorTypeOptions(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), true, true, 32) { RemindersStoragePartitions = 7 }, config.For("A"));
        Assert.Equal(new ActorTypeOptions(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), true, false, 32) { RemindersStoragePartitions = 7 }, config.For("B"));
        Assert.True(config.Hosts("A"));
        Assert.False(config.Hosts("C"));
    }

    [Fact]
    public void Parse_OnlyEntities_DaprdDefaults()
    {
        var config = Parse("""{"entities":["A"]}""");
        Assert.Equal(ActorTypeOptions.Default, config.For("A"));
        Assert.Equal(TimeSpan.FromSeconds(30), config.ScanInterval);
        Assert.Empty(Parse("{}").Entities);
        Assert.Empty(Parse("").Entities);
    }

    [Fact]
    public void Parse_RemindersStoragePartitions_RootPerTypeAndRawOutOfRangeValues()
    {
        var config = Parse("""{"entities":["A","B","C"],"remindersStoragePartitions":64,"entitiesConfig":[{"entities":["B"],"remindersStoragePartitions":-3},{"entities":["C"],"remindersStoragePartitions":99999999999}]}""");
        Assert.Equal(64, config.For("A").RemindersStoragePartitions);
        Assert.Equal(-3, config.For("B").RemindersStoragePartitions);
        Assert.Equal(int.MaxValue, config.For("C").RemindersStoragePartitions);
        Assert.Equal(0, Parse("""{"entities":["A"]}""").For("A").RemindersStoragePartitions);
    }

    [Theory]
    [InlineData("{\"entities\":[\"A\"],\"remindersStoragePartitions\":\"8\"}", "remindersStoragePartitions must be an integer")]
    [InlineData("{\"entities\":[\"A\"],\"entitiesConfig\":[{\"entities\":[\"A\"],\"remindersStoragePartitions\":1.5}]}", "entitiesConfig[0].remindersStoragePartitions must be an integer, got 1.5")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{\"entities\":\"A\"}", "entities must be an array")]
    [InlineData("{\"entities\":[\"\"]}", "non-empty actor type names")]
    [InlineData("{\"entities\":[\"A\"],\"actorIdleTimeout\":\"forever\"}", "actorIdleTimeout must be a positive Go duration")]
    [InlineData("{\"entities\":[\"A\"],\"actorScanInterval\":\"-1s\"}", "actorScanInterval")]
    [InlineData("{\"entities\":[\"A\"],\"drainRebalancedActors\":\"yes\"}", "drainRebalancedActors must be true or false")]
    [InlineData("{\"entities\":[\"A\"],\"reentrancy\":{\"maxStackDepth\":0}}", "maxStackDepth must be a positive integer")]
    [InlineData("{\"entities\":[\"A\"],\"entitiesConfig\":[{\"entities\":[\"Z\"]}]}", "'Z', which is not in entities")]
    [InlineData("{\"entities\":[\"A\"", "not valid JSON")]
    public void Parse_Invalid_FormatExceptionNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Parse(json));
        Assert.Contains(expected, error.Message);
    }

    private static ActorHostConfig Parse(string json) => ActorHostConfig.Parse(Encoding.UTF8.GetBytes(json));
}
