using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Quoncept.Sidecar.PubSub;

/// <summary>
/// Parses the subset of CEL that subscription rules may use
/// (https://docs.dapr.io/developing-applications/building-blocks/pubsub/howto-route-messages/):
/// <code>
/// expr       = and { "||" and }
/// and        = primary { "&amp;&amp;" primary }
/// primary    = "(" expr ")" | operand op operand
/// op         = "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
/// operand    = "event" { "." ident } | string | number | "true" | "false" | "null"
/// </code>
/// Anything else (functions, "!", "in", arithmetic) is rejected with the position and a reason.
/// </summary>
internal sealed class RuleExpressionParser
{
    private readonly string _text;
    private int _position;

    private RuleExpressionParser(string text) => _text = text;

    public static RuleExpression Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("the match expression is empty");
        }
        var parser = new RuleExpressionParser(text);
        var expression = parser.ParseOr();
        parser.SkipSpace();
        if (parser._position < text.Length)
        {
            throw parser.Error($"unexpected '{text[parser._position..]}'");
        }
        return expression;
    }

    private RuleExpression ParseOr()
    {
        var left = ParseAnd();
        while (TryConsume("||"))
        {
            left = new RuleExpression.Or(left, ParseAnd());
        }
        return left;
    }

    private RuleExpression ParseAnd()
    {
        var left = ParsePrimary();
        while (TryConsume("&&"))
        {
            left = new RuleExpression.And(left, ParsePrimary());
        }
        return left;
    }

    private RuleExpression ParsePrimary()
    {
        if (TryConsume("("))
        {
            var inner = ParseOr();
            if (!TryConsume(")"))
            {
                throw Error("expected ')'");
            }
            return inner;
        }
        var left = ParseOperand();
        var op = ParseOperator();
        var right = ParseOperand();
        return new RuleExpression.Comparison(left, op, right);
    }

    private string ParseOperator()
    {
        foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
        {
            if (TryConsume(op))
            {
                return op;
            }
        }
        throw Error("expected a comparison operator (==, !=, <, <=, >, >=); only comparisons joined by && and || are supported");
    }

    private RuleExpression.Operand ParseOperand()
    {
        SkipSpace();
        if (_position >= _text.Length)
        {
            throw Error("expected a value or an event attribute");
        }
        var c = _text[_position];
        if (c is '"' or '\'')
        {
            return RuleExpression.Operand.Literal(Json(JsonSerializer.Serialize(ReadString(c))));
        }
        if (char.IsAsciiDigit(c) || (c == '-' && _position + 1 < _text.Length && char.IsAsciiDigit(_text[_position + 1])))
        {
            var start = _position++;
            while (_position < _text.Length && (char.IsAsciiDigit(_text[_position]) || _text[_position] == '.'))
            {
                _position++;
            }
            var number = _text[start.._position];
            if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
            {
                throw Error($"'{number}' is not a number");
            }
            return RuleExpression.Operand.Literal(Json(number));
        }
        var identifier = ReadIdentifier();
        switch (identifier)
        {
            case "true" or "false" or "null":
                return RuleExpression.Operand.Literal(Json(identifier));
            case "event":
                var segments = new List<string>();
                while (_position < _text.Length && _text[_position] == '.')
                {
                    _position++;
                    segments.Add(ReadIdentifier());
                }
                SkipSpace();
                if (_position < _text.Length && _text[_position] is '(' or '[')
                {
                    throw Error("function calls and indexing are not supported; compare event attributes and data fields with ==, !=, <, <=, >, >=");
                }
                return segments.Count == 0
                    ? throw Error("compare an attribute such as event.type or a data field such as event.data.kind, not the whole event")
                    : RuleExpression.Operand.Path([.. segments]);
            default:
                throw Error($"unknown name '{identifier}': operands are event.<attribute>, event.data.<field>, strings, numbers, true, false or null");
        }
    }

    private string ReadIdentifier()
    {
        SkipSpace();
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }
        if (start == _position || char.IsAsciiDigit(_text[start]))
        {
            throw Error(_position < _text.Length ? $"unexpected '{_text[_position]}'" : "unexpected end of expression");
        }
        return _text[start.._position];
    }

    private string ReadString(char quote)
    {
        var value = new StringBuilder();
        _position++;
        while (_position < _text.Length)
        {
            var c = _text[_position++];
            if (c == quote)
            {
                return value.ToString();
            }
            if (c == '\\' && _position < _text.Length)
            {
                c = _text[_position++] switch { 'n' => '\n', 't' => '\t', var other => other };
            }
            value.Append(c);
        }
        throw Error("unterminated string");
    }

    private bool TryConsume(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            return false;
        }
        _position += token.Length;
        return true;
    }

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private FormatException Error(string reason) => new($"at position {_position + 1}: {reason}");

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
