using Quoncept.Gateway.Browser;

namespace Quoncept.Universe.Tests.Browser;

/// <summary>The browser transport's rules that need no socket: origins, settings, close reasons.</summary>
public sealed class BrowserTransportRulesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5088", "http://127.0.0.1:5088")]
    [InlineData("HTTP://Example.TEST:80/", "http://example.test")]
    [InlineData("https://play.example.test:443", "https://play.example.test")]
    [InlineData("https://play.example.test:8443", "https://play.example.test:8443")]
    public void Normalize_Origin_AsBrowsersSendIt(string configured, string expected) =>
        Assert.Equal(expected, OriginPolicy.Normalize(configured));

    [Theory]
    [InlineData("127.0.0.1:5088")]
    [InlineData("ftp://example.test")]
    [InlineData("http://example.test/page")]
    [InlineData("http://user@example.test")]
    [InlineData("http://example.test/?q=1")]
    [InlineData("null")]
    public void Normalize_NotAnOrigin_IsNull(string configured) => Assert.Null(OriginPolicy.Normalize(configured));

    [Fact]
    public void Problem_BadOrigin_NamesTheSettingAndTheValue()
    {
        var problem = new BrowserOptions { AllowedOrigins = ["http://ok.test", "example.test"] }.Problem();
        Assert.Equal("Quoncept:Gateway:Browser:AllowedOrigins: 'example.test' is not an origin; write scheme://host[:port] (http or https, no path), or * for any", problem);
    }

    [Theory]
    [InlineData(100, 20, 40, "MaxFrameBytes must be 256..4194304, got 100")]
    [InlineData(16384, 0, 40, "MaxFramesPerSecond must be 1..100000, got 0")]
    [InlineData(16384, 20, 10, "FrameBurst must be at least MaxFramesPerSecond (20)")]
    public void Problem_BadLimits_NamesTheSetting(int maxFrameBytes, int perSecond, int burst, string expected)
    {
        var problem = new BrowserOptions { MaxFrameBytes = maxFrameBytes, MaxFramesPerSecond = perSecond, FrameBurst = burst }.Problem();
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_WebRootWithoutThePreparedPage_SaysWhatToRun()
    {
        var empty = Directory.CreateTempSubdirectory("quoncept-web-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(empty, "public"));
            File.WriteAllText(Path.Combine(empty, "public", "index.html"), "<!doctype html>");
            Assert.Contains("run client/web/prepare.sh", new BrowserOptions { WebRoot = empty }.Problem(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void WireReason_LongerThanACloseFrameHolds_IsCutTo123BytesOfUtf8()
    {
        var close = new BrowserClose(4401, "the token's signature is not valid: " + new string('é', 200));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(close.WireReason) <= 123);
        Assert.StartsWith("the token's signature", close.WireReason, StringComparison.Ordinal);
        Assert.EndsWith("...", close.WireReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("replaced", 4001)]
    [InlineData("slow_consumer", 4002)]
    [InlineData("shutdown", 1001)]
    [InlineData("something_new", 4000)]
    public void After_Terminate_ClosesWithItsOwnCode(string reason, int code) =>
        Assert.Equal(code, BrowserClose.After(new V1.Terminate { Reason = reason, Message = "m" }).Code);
}
