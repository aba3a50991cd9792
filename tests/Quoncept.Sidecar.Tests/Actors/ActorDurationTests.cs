using Quoncept.Sidecar.Actors.Durations;

namespace Quoncept.Sidecar.Tests.Actors;

public sealed class ActorDurationTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 31, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1h2m3s", 3723_000)]
    [InlineData("0h0m10s", 10_000)]
    [InlineData("0h0m3s0ms", 3_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData(".5s", 500)]
    [InlineData("1.s", 1_000)]
    [InlineData("0", 0)]
    [InlineData("+2s", 2_000)]
    [InlineData("-30m", -1_800_000)]
    [InlineData("1500us", 1.5)]
    [InlineData("1500µs", 1.5)]
    [InlineData("2000000ns", 2)]
    public void GoDuration_ValidText_ParsesLikeGo(string text, double expectedMs)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1d")]
    [InlineData("s")]
    [InlineData("1.2.3s")]
    [InlineData(".s")]
    [InlineData("1h 2m")]
    [InlineData("-")]
    [InlineData("1hh")]
    [InlineData("99999999999999999h")]
    public void GoDuration_InvalidText_Fails(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("PT1S", 0, 0, 0, 1, -1)]
    [InlineData("R5/PT1S", 0, 0, 0, 1, 5)]
    [InlineData("P1Y2M3W4DT5H6M7S", 1, 2, 25, 5 * 3600 + 6 * 60 + 7, -1)]
    [InlineData("P2D", 0, 0, 2, 0, -1)]
    [InlineData("PT10M", 0, 0, 0, 600, -1)]
    [InlineData("R1/P1M", 0, 1, 0, 0, 1)]
    public void IsoDuration_ValidText_Parses(string text, int years, int months, int days, int seconds, int repetitions)
    {
        Assert.True(IsoDuration.TryParse(text, out var iso, out var error), error);
        Assert.Equal(new IsoDuration(years, months, days, TimeSpan.FromSeconds(seconds), repetitions), iso);
    }

    [Theory]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("R0/PT1S")]
    [InlineData("R-1/PT1S")]
    [InlineData("R/PT1S")]
    [InlineData("R5/")]
    [InlineData("R5")]
    [InlineData("PT1X")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("PT5")]
    [InlineData("P1DT")]
    [InlineData("PTT1S")]
    [InlineData("1s")]
    public void IsoDuration_InvalidText_FailsWithReason(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void ActorPeriod_Repetitions_CountsAndFollows()
    {
        var period = ActorPeriod.Parse("R5/PT1S");
        Assert.Equal(5, period.Repetitions);
        Assert.True(period.HasRepeats);
        Assert.Equal(Now.AddSeconds(1), period.Following(Now));
        Assert.Equal("R5/PT1S", period.Value);
    }

    [Fact]
    public void ActorPeriod_CalendarMonths_FollowCalendar()
    {
        var period = ActorPeriod.Parse("P1M");
        Assert.Equal(new DateTimeOffset(2030, 2, 28, 12, 0, 0, TimeSpan.Zero), period.Following(Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("0s")]
    [InlineData("0h0m0s0ms")]
    public void ActorPeriod_EmptyOrZero_FiresOnce(string? text) => Assert.False(ActorPeriod.Parse(text).HasRepeats);

    [Theory]
    [InlineData("1 second", "neither a Go duration")]
    [InlineData("-5s", "negative")]
    [InlineData("R0/PT1S", "zero repetitions")]
    [InlineData("PT1X", "ISO 8601")]
    public void ActorPeriod_Invalid_ThrowsClearMessage(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ActorPeriod.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("0h0m3s0ms", 3)]
    [InlineData("PT3S", 3)]
    [InlineData("1m", 60)]
    [InlineData("", 0)]
    [InlineData("-10s", -10)]
    public void ActorDueTime_Relative_AddsToNow(string text, int seconds) =>
        Assert.Equal(Now.AddSeconds(seconds), ActorDueTime.Parse("dueTime", text, Now));

    [Theory]
    [InlineData("2031-02-03T04:05:06Z", "2031-02-03T04:05:06+00:00")]
    [InlineData("2031-02-03T04:05:06.25+02:00", "2031-02-03T02:05:06.25+00:00")]
    public void ActorDueTime_Rfc3339_IsAbsolute(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ActorDueTime.Parse("dueTime", text, Now));

    [Theory]
    [InlineData("R2/PT1S", "repetitions are not allowed")]
    [InlineData("tomorrow", "RFC 3339")]
    [InlineData("2031-02-03T04:05:06", "RFC 3339")]
    [InlineData("2031-02-03", "RFC 3339")]
    public void ActorDueTime_Invalid_ThrowsClearMessage(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ActorDueTime.Parse("dueTime", text, Now));
        Assert.Contains(expected, error.Message);
        Assert.Contains("dueTime", error.Message);
    }
}
