using System.Text.Json;
using Quoncept.Sidecar.PubSub;

namespace Quoncept.Sidecar.Tests.Unit;

public sealed class RuleExpressionTests
{
    private static readonly JsonElement Event = JsonDocument.Parse("""
        {"type":"order.created","source":"shop","data":{"total":25.5,"kind":"big","rush":true,"tag":null,"nested":{"level":3}}}
        """).RootElement;

    [Theory]
    [InlineData("event.type == \"order.created\"", true)]
    [InlineData("event.type == 'order.created'", true)]
    [InlineData("event.type != \"order.created\"", false)]
    [InlineData("event.data.total > 20", true)]
    [InlineData("event.data.total >= 25.5 && event.data.total <= 25.5", true)]
    [InlineData("event.data.total < 10 || event.data.kind == \"big\"", true)]
    [InlineData("event.data.rush == true", true)]
    [InlineData("event.data.tag == null", true)]
    [InlineData("event.data.nested.level == 3", true)]
    [InlineData("(event.source == \"x\" || event.source == \"shop\") && event.data.rush == true", true)]
    [InlineData("event.data.missing == 1", false)]
    [InlineData("event.data.kind > 3", false)]
    [InlineData("-1 < event.data.total", true)]
    public void Parse_SupportedExpression_EvaluatesAgainstCloudEvent(string text, bool expected)
    {
        Assert.Equal(expected, RuleExpressionParser.Parse(text).Matches(Event));
    }

    [Theory]
    [InlineData("has(event.data.x)", "unknown name 'has'")]
    [InlineData("event.data.tags.exists(t, t == 1)", "function calls")]
    [InlineData("!(event.type == \"a\")", "unexpected '!'")]
    [InlineData("event.type", "expected a comparison operator")]
    [InlineData("event.type == ", "expected a value")]
    [InlineData("event.type == \"a", "unterminated string")]
    [InlineData("event.type in [\"a\"]", "expected a comparison operator")]
    [InlineData("(event.type == \"a\"", "expected ')'")]
    [InlineData("event == 1", "not the whole event")]
    [InlineData("event.data.size + 1 > 2", "expected a comparison operator")]
    [InlineData("", "empty")]
    public void Parse_UnsupportedExpression_RejectedWithReason(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => RuleExpressionParser.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
