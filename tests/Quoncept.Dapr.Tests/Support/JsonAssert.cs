using System.Text.Json.Nodes;

namespace Quoncept.Dapr.Tests.Support;

public static class JsonAssert
{
    /// <summary>Structural JSON equality (property order and whitespace ignored).</summary>
    public static void Equal(string expected, string actual)
    {
        var e = JsonNode.Parse(expected);
        var a = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(e, a), $"Expected JSON:\n{e?.ToJsonString()}\nActual JSON:\n{a?.ToJsonString()}");
    }
}
