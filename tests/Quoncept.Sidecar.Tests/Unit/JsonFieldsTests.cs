using System.Text.Json;
using Quoncept.Sidecar.Api;
using Quoncept.Sidecar.PubSub;

namespace Quoncept.Sidecar.Tests.Unit;

/// <summary>JSON fields found as daprd's Go encoding/json finds them: any case, last match wins.</summary>
public sealed class JsonFieldsTests
{
    [Theory]
    [InlineData("""{"pubsubname":"a"}""", "a")]
    [InlineData("""{"pubsubName":"b"}""", "b")]
    [InlineData("""{"PUBSUBNAME":"c"}""", "c")]
    [InlineData("""{"pubsubname":"first","pubsubName":"last"}""", "last")]
    public void TryGet_AnyCase_LastMatchWins(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(JsonFields.TryGet(document.RootElement, "pubsubname", out var value));
        Assert.Equal(expected, value.GetString());
    }

    [Theory]
    [InlineData("""{"topic":"t"}""")]
    [InlineData("""["pubsubname"]""")]
    [InlineData("\"pubsubname\"")]
    public void TryGet_AbsentOrNotAnObject_False(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.False(JsonFields.TryGet(document.RootElement, "pubsubname", out _));
    }

    [Fact]
    public void ProgrammaticSubscriptions_DaprAspNetCoreShape_Accepted()
    {
        // What Dapr.AspNetCore's MapSubscribeHandler writes: camelCase, routes without a leading slash.
        var json = """
            [{"topic":"orders","pubsubName":"pubsub","routes":{"rules":[{"match":"event.type == \"x\"","path":"orders/x"}],"default":"orders"},
              "metadata":{"rawPayload":"true"},"deadLetterTopic":"dead","bulkSubscribe":{"enabled":true,"maxMessagesCount":10,"maxAwaitDurationMs":5}}]
            """u8;

        var (accepted, rejected) = ProgrammaticSubscriptions.Parse(json, "shop");

        Assert.Empty(rejected);
        var spec = Assert.Single(accepted);
        Assert.Equal("pubsub", spec.PubSubName);
        Assert.Equal("orders", spec.DefaultPath);
        Assert.Equal("orders/x", Assert.Single(spec.Rules).Path);
        Assert.Equal("dead", spec.DeadLetterTopic);
        Assert.True(spec.RawPayload);
        Assert.Equal(10, spec.Bulk!.MaxMessagesCount);
    }
}
