using Google.Protobuf;
using Quoncept.V1;

namespace Quoncept.Faults.Fuzz;

/// <summary>
/// Bad input, made on purpose: random bytes, mutations of valid ClientMessages (bit flips, cuts, splices,
/// repeated fields), oversized and control-laden strings, invalid UTF-8 in string fields, unknown fields and
/// oneof cases (field numbers no message has), and wire types that contradict the schema.
/// </summary>
internal sealed class Inputs(Random random)
{
    public byte[] RandomBytes(int max) => Fill(new byte[random.Next(0, max + 1)]);

    public ClientMessage ValidMessage() => random.Next(5) switch
    {
        0 => new ClientMessage { RequestId = Id(), Login = new Login() },
        1 => new ClientMessage { RequestId = Id(), Move = new Move { ToSystemId = $"s{random.Next(1, 700):D4}" } },
        2 => new ClientMessage { RequestId = Id(), Chat = new Chat { Text = Text(random.Next(1, 600)) } },
        3 => new ClientMessage { RequestId = Id(), Logout = new Logout() },
        _ => new ClientMessage { RequestId = Id(), Ping = new Ping { ClientTimeUnixMs = random.NextInt64() } },
    };

    /// <summary>A valid message's bytes, then broken in one of several ways.</summary>
    public byte[] Mutated()
    {
        var bytes = ValidMessage().ToByteArray();
        switch (random.Next(5))
        {
            case 0:
                for (var flips = random.Next(1, 4); flips > 0 && bytes.Length > 0; flips--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length + 1)];
            case 2:
                return [.. bytes, .. RandomBytes(16)];
            case 3:
                return [.. bytes, .. ValidMessage().ToByteArray()];
            default:
                var at = random.Next(bytes.Length + 1);
                return [.. bytes[..at], .. RandomBytes(8), .. bytes[at..]];
        }
    }

    /// <summary>A message with a string field of invalid UTF-8 (request id, chat text or system id).</summary>
    public byte[] InvalidUtf8()
    {
        var bad = new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80 }[..random.Next(1, 8)];
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        switch (random.Next(3))
        {
            case 0:
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(bad));
                output.WriteTag(6, WireFormat.WireType.LengthDelimited);
                output.WriteLength(0);
                break;
            case 1:
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteString(Id());
                output.WriteTag(5, WireFormat.WireType.LengthDelimited);
                output.WriteLength(bad.Length + 2);
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(bad));
                break;
            default:
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteString(Id());
                output.WriteTag(4, WireFormat.WireType.LengthDelimited);
                output.WriteLength(bad.Length + 2);
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(bad));
                break;
        }
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>A request id and then fields no message has (numbers 7..1000, any wire type), or a known one with the wrong wire type.</summary>
    public byte[] UnknownFields()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteString(Id());
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var field = random.Next(3) == 0 ? random.Next(2, 7) : random.Next(7, 1000);
            switch (random.Next(4))
            {
                case 0:
                    output.WriteTag(field, WireFormat.WireType.Varint);
                    output.WriteUInt64((ulong)random.NextInt64());
                    break;
                case 1:
                    output.WriteTag(field, WireFormat.WireType.Fixed64);
                    output.WriteFixed64((ulong)random.NextInt64());
                    break;
                case 2:
                    output.WriteTag(field, WireFormat.WireType.Fixed32);
                    output.WriteFixed32((uint)random.Next());
                    break;
                default:
                    output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(ByteString.CopyFrom(RandomBytes(32)));
                    break;
            }
        }
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>A chat or move whose string is huge or full of control and odd Unicode characters.</summary>
    public ClientMessage OddStrings() => random.Next(4) switch
    {
        0 => new ClientMessage { RequestId = Id(), Chat = new Chat { Text = new string('x', random.Next(501, 200_000)) } },
        1 => new ClientMessage { RequestId = new string('r', random.Next(65, 5_000)), Ping = new Ping() },
        2 => new ClientMessage { RequestId = Id(), Chat = new Chat { Text = "a\u0000b\u0007\u001b[2J\u202e\ud800" + Text(10) } },
        _ => new ClientMessage { RequestId = Id(), Move = new Move { ToSystemId = Text(random.Next(0, 300)) } },
    };

    public string Id() => random.Next(10) == 0 ? "" : $"fz-{random.Next(1_000_000)}";

    /// <summary>Random text of <paramref name="length"/> characters, from every plane including surrogates and controls.</summary>
    public string Text(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)(random.Next(4) == 0 ? random.Next(0, 0x10000) : random.Next(0x20, 0x7F));
        return new string(chars);
    }

    private byte[] Fill(byte[] bytes)
    {
        random.NextBytes(bytes);
        return bytes;
    }
}
