namespace Quoncept.Grpc.Tests.Unit;

public sealed class MetadataTests
{
    [Fact]
    public void Add_UpperCaseKey_IsLowerCased()
    {
        var metadata = new Metadata { { "X-Trace", "1" } };
        Assert.Equal("x-trace", metadata[0].Key);
        Assert.Equal("1", metadata.GetValue("x-trace"));
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("ключ")]
    [InlineData("")]
    public void Add_InvalidKey_Throws(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Metadata { { key, "v" } });
    }

    [Fact]
    public void Add_TextUnderBinaryKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Metadata { { "data-bin", "text" } });
    }

    [Fact]
    public void Add_NonAsciiValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Metadata { { "k", "ü" } });
    }

    [Fact]
    public void BinaryEntry_ToBase64_IsUnpadded()
    {
        Assert.Equal("AQI", MetadataHeaders.ToBase64([1, 2]));
    }

    [Fact]
    public void FromHeaders_PaddedUnpaddedAndCommaSeparatedBinary_AreDecoded()
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["a-bin"] = "AQI",
            ["b-bin"] = "AQI=",
            ["c-bin"] = "AQI,AwQ=",
            ["grpc-timeout"] = "1S",
            ["content-type"] = "application/grpc",
        };
        var metadata = MetadataHeaders.FromHeaders(headers);
        Assert.Equal(new byte[] { 1, 2 }, metadata.GetValueBytes("a-bin"));
        Assert.Equal(new byte[] { 1, 2 }, metadata.GetValueBytes("b-bin"));
        Assert.Equal(2, metadata.GetAll("c-bin").Count());
        Assert.Null(metadata.Get("grpc-timeout"));
        Assert.Null(metadata.Get("content-type"));
    }

    [Fact]
    public void Empty_Add_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Metadata.Empty.Add("k", "v"));
    }
}
