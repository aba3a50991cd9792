using Quoncept.Gateway.Streams;

namespace Quoncept.Universe.Tests.Gateway;

public sealed class ClientInputTests
{
    [Theory]
    [InlineData("c-1", true)]
    [InlineData("A.b_c:d-9", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("slash/no", false)]
    [InlineData("ünïcode", false)]
    public void CheckId_Characters_AcceptsOnlyTheIdAlphabet(string? id, bool ok) =>
        Assert.Equal(ok, ClientInput.CheckId(id, "id") is null);

    [Fact]
    public void CheckId_Length_IsAtMost64()
    {
        Assert.Null(ClientInput.CheckId(new string('a', 64), "id"));
        Assert.Contains("longer than 64", ClientInput.CheckId(new string('a', 65), "id"));
    }

    [Theory]
    [InlineData("hello", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("bell\u0007", false)]
    [InlineData("new\nline", false)]
    public void CheckChatText_ContentRules(string text, bool ok) =>
        Assert.Equal(ok, ClientInput.CheckChatText(text) is null);

    [Fact]
    public void CheckChatText_Length_IsAtMost500()
    {
        Assert.Null(ClientInput.CheckChatText(new string('x', 500)));
        Assert.Contains("longer than 500", ClientInput.CheckChatText(new string('x', 501)));
    }
}
