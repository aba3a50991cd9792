namespace Quoncept.Grpc.Tests.Unit;

public sealed class StatusMessageEncodingTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("100%", "100%25")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("ü", "%C3%BC")]
    [InlineData("\t~", "%09~")]
    public void Encode_Message_IsPercentEncodedUtf8(string message, string wire)
    {
        Assert.Equal(wire, StatusMessageEncoding.Encode(message));
        Assert.Equal(message, StatusMessageEncoding.Decode(wire));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("%4", "%4")]
    [InlineData("%zz ok", "%zz ok")]
    [InlineData("a%41", "aA")]
    public void Decode_MalformedSequence_IsKeptNotRejected(string wire, string message)
    {
        Assert.Equal(message, StatusMessageEncoding.Decode(wire));
    }

    [Fact]
    public void Decode_InvalidUtf8_BecomesReplacementCharacter()
    {
        Assert.Equal("a\uFFFD", StatusMessageEncoding.Decode("a%FF"));
    }
}
