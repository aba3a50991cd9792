using System.Text.Json;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// A parsed routing rule (<c>routes.rules[].match</c>): comparisons of CloudEvent attributes
/// (<c>event.type</c>) and data fields (<c>event.data.a.b</c>) with literals or each other, joined by
/// <c>&amp;&amp;</c> / <c>||</c> and grouped with parentheses. Built by <see cref="RuleExpressionParser"/>.
/// A comparison whose operands are missing or of different kinds is false, as a CEL error means "no match".
/// </summary>
internal abstract class RuleExpression
{
    public abstract bool Matches(JsonElement cloudEvent);

    internal sealed class Or(RuleExpression left, RuleExpression right) : RuleExpression
    {
        public override bool Matches(JsonElement cloudEvent) => left.Matches(cloudEvent) || right.Matches(cloudEvent);
    }

    internal sealed class And(RuleExpression left, RuleExpression right) : RuleExpression
    {
        public override bool Matches(JsonElement cloudEvent) => left.Matches(cloudEvent) && right.Matches(cloudEvent);
    }

    internal sealed class Comparison(Operand left, string op, Operand right) : RuleExpression
    {
        public override bool Matches(JsonElement cloudEvent)
        {
            if (left.Resolve(cloudEvent) is not { } a || right.Resolve(cloudEvent) is not { } b)
            {
                return false;
            }
            int order;
            switch (a.ValueKind, b.ValueKind)
            {
                case (JsonValueKind.String, JsonValueKind.String):
                    order = string.CompareOrdinal(a.GetString(), b.GetString());
                    break;
                case (JsonValueKind.Number, JsonValueKind.Number):
                    order = a.GetDouble().CompareTo(b.GetDouble());
                    break;
                case (JsonValueKind.True or JsonValueKind.False, JsonValueKind.True or JsonValueKind.False):
                case (JsonValueKind.Null, JsonValueKind.Null):
                    var equal = a.ValueKind == b.ValueKind;
                    return op switch { "==" => equal, "!=" => !equal, _ => false };
                default:
                    return false;
            }
            return op switch
            {
                "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                ">=" => order >= 0,
                _ => false,
            };
        }
    }

    /// <summary>A literal, or a path under <c>event</c> into the CloudEvent envelope.</summary>
    internal sealed class Operand
    {
        private readonly JsonElement? _literal;
        private readonly string[]? _path;

        private Operand(JsonElement? literal, string[]? path)
        {
            _literal = literal;
            _path = path;
        }

        public static Operand Literal(JsonElement value) => new(value, null);

        public static Operand Path(string[] segments) => new(null, segments);

        public JsonElement? Resolve(JsonElement cloudEvent)
        {
            if (_path is null)
            {
                return _literal;
            }
            var current = cloudEvent;
            foreach (var segment in _path)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
                {
                    return null;
                }
            }
            return current;
        }
    }
}
