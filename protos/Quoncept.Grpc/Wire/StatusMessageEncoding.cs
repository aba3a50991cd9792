using System.Text;

namespace Quoncept.Grpc;

/// <summary>The grpc-message header.</summary>
internal static class StatusMessageEncoding
{
    /// <summary>
    /// Status-Message → {percent-encoded UTF-8 string}: every byte of the UTF-8 form outside
    /// %x20-%x7E, and '%' itself, becomes "%" followed by two upper-case hex digits.
    /// </summary>
    public static string Encode(string message)
    {
        if (!NeedsEncoding(message))
        {
            return message;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b >= 0x20 && b <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Decodes %XX sequences; as the spec asks, a malformed sequence is kept as it is rather than
    /// failing the call, and invalid UTF-8 becomes U+FFFD.
    /// </summary>
    public static string Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.Contains('%', StringComparison.Ordinal))
        {
            return value ?? "";
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && HexValue(value[i + 1]) is int hi && HexValue(value[i + 2]) is int lo)
            {
                bytes.Add((byte)((hi << 4) | lo));
                i += 2;
            }
            else if (c <= 0x7F)
            {
                bytes.Add((byte)c);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private const string Hex = "0123456789ABCDEF";

    private static bool NeedsEncoding(string message)
    {
        foreach (var c in message)
        {
            if (c < 0x20 || c > 0x7E || c == '%')
            {
                return true;
            }
        }

        return false;
    }

    private static int? HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => null,
    };
}
