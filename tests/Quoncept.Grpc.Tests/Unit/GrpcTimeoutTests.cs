namespace Quoncept.Grpc.Tests.Unit;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 3600_000_000_0L)]
    [InlineData("2M", 1200_000_000L)]
    [InlineData("5S", 50_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("7u", 70L)]
    [InlineData("100n", 1L)]
    [InlineData("1n", 1L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    [InlineData("0m", 0L)]
    public void TryParse_ValidValue_GivesTicks(string header, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("-5S")]
    [InlineData("1.5S")]
    [InlineData("123456789S")]
    [InlineData(" 5S")]
    [InlineData("5 S")]
    public void TryParse_InvalidValue_IsRejected(string header)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _));
    }

    [Fact]
    public void Format_SubSecond_UsesMicroseconds()
    {
        Assert.Equal("1500000u", GrpcTimeout.Format(TimeSpan.FromMilliseconds(1500)));
    }

    [Fact]
    public void Format_Large_FitsEightDigitsAndRoundsUp()
    {
        var formatted = GrpcTimeout.Format(TimeSpan.FromDays(3));
        Assert.True(formatted.Length <= 9);
        Assert.True(GrpcTimeout.TryParse(formatted, out var parsed));
        Assert.True(parsed >= TimeSpan.FromDays(3));
    }

    [Fact]
    public void Format_Negative_IsZero()
    {
        Assert.Equal("0u", GrpcTimeout.Format(TimeSpan.FromSeconds(-1)));
    }
}
