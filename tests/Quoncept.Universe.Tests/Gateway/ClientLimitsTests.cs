using System.Net;
using Microsoft.Extensions.Options;
using Quoncept.Gateway.Limits;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.Gateway;

public sealed class ClientLimitsTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    private static ClientLimits Limits(LimitOptions options) => new(Options.Create(options));

    [Fact]
    public void AdmitStream_OverStreamsPerUser_RefusedNamingTheLimitUntilOneEnds()
    {
        using var limits = Limits(new LimitOptions { StreamsPerUser = 2 });
        var first = limits.AdmitStream("alice", Remote);
        var second = limits.AdmitStream("alice", Remote);
        var third = limits.AdmitStream("alice", Remote);

        Assert.NotNull(first.Leases);
        Assert.NotNull(second.Leases);
        Assert.Null(third.Leases);
        Assert.Contains("user alice already has 2 open streams on this gateway (limit Limits:StreamsPerUser)", third.Refusal, StringComparison.Ordinal);
        Assert.NotNull(limits.AdmitStream("bob", Remote).Leases);

        first.Leases!.Dispose();
        first.Leases.Dispose(); // twice is once
        Assert.NotNull(limits.AdmitStream("alice", Remote).Leases);
        Assert.Null(limits.AdmitStream("alice", Remote).Leases);
    }

    [Fact]
    public void AdmitStream_OverStreamsPerAddress_RefusedAndTheUserLeaseGivenBack()
    {
        using var limits = Limits(new LimitOptions { StreamsPerAddress = 1, StreamsPerUser = 1 });
        Assert.NotNull(limits.AdmitStream("alice", Remote).Leases);

        var refused = limits.AdmitStream("bob", Remote);

        Assert.Null(refused.Leases);
        Assert.Contains("1 streams are already open from 203.0.113.7 (limit Limits:StreamsPerAddress)", refused.Refusal, StringComparison.Ordinal);
        // bob's user lease was released with the refusal: from another address he gets in.
        Assert.NotNull(limits.AdmitStream("bob", IPAddress.Parse("198.51.100.1")).Leases);
    }

    [Theory]
    [InlineData("127.0.0.1", true, true)]
    [InlineData("::1", true, true)]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("203.0.113.7", true, false)]
    public void PerAddressLimits_Loopback_ExemptOnlyWhenConfigured(string address, bool exemptLoopback, bool exempt)
    {
        using var limits = Limits(new LimitOptions { StreamsPerAddress = 1, SessionBurstPerAddress = 1, SessionsPerSecondPerAddress = 1, ExemptLoopback = exemptLoopback });
        var from = IPAddress.Parse(address);
        Assert.NotNull(limits.AdmitStream("alice", from).Leases);
        Assert.Null(limits.AdmitSession(from));

        Assert.Equal(exempt, limits.AdmitStream("bob", from).Leases is not null);
        Assert.Equal(exempt, limits.AdmitSession(from) is null);
    }

    [Fact]
    public void AdmitSession_OverTheBurst_RefusedNamingTheRate()
    {
        using var limits = Limits(new LimitOptions { SessionBurstPerAddress = 3, SessionsPerSecondPerAddress = 2 });
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(limits.AdmitSession(Remote)));

        var refusal = limits.AdmitSession(Remote);

        Assert.Equal("too many sessions created from 203.0.113.7: at most 2 per second (limit Limits:SessionsPerSecondPerAddress); retry in a second", refusal);
        Assert.Null(limits.AdmitSession(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void RefuseRequest_OverTheBurst_ResourceExhaustedPerStream()
    {
        using var limits = Limits(new LimitOptions { RequestBurst = 3, RequestsPerSecond = 1 });
        var stream = ClientLimits.StreamKey("alice", "c-1");
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(limits.RefuseRequest(stream)));

        var refused = limits.RefuseRequest(stream);

        Assert.NotNull(refused);
        Assert.Equal(ErrorCode.ResourceExhausted, refused.Error.Code);
        Assert.Contains("more than 1 requests per second on this stream (limit Limits:RequestsPerSecond, burst 3)", refused.Error.Message, StringComparison.Ordinal);
        Assert.Null(limits.RefuseRequest(ClientLimits.StreamKey("alice", "c-2")));
    }

    [Theory]
    [InlineData(nameof(LimitOptions.RequestsPerSecond), 0, "Quoncept:Gateway:Limits:RequestsPerSecond must be 1..100000, got 0")]
    [InlineData(nameof(LimitOptions.RequestBurst), -1, "Quoncept:Gateway:Limits:RequestBurst must be 1..1000000, got -1")]
    [InlineData(nameof(LimitOptions.StreamsPerUser), 0, "Quoncept:Gateway:Limits:StreamsPerUser must be 1..1000, got 0")]
    [InlineData(nameof(LimitOptions.StreamsPerAddress), 0, "Quoncept:Gateway:Limits:StreamsPerAddress must be 1..10000000, got 0")]
    [InlineData(nameof(LimitOptions.SessionsPerSecondPerAddress), 0, "Quoncept:Gateway:Limits:SessionsPerSecondPerAddress must be 1..100000, got 0")]
    [InlineData(nameof(LimitOptions.SessionBurstPerAddress), 0, "Quoncept:Gateway:Limits:SessionBurstPerAddress must be 1..1000000, got 0")]
    [InlineData(nameof(LimitOptions.MaxMessageBytes), 100, "Quoncept:Gateway:Limits:MaxMessageBytes must be 1024..67108864 (bytes), got 100")]
    public void Problem_OutOfRange_NamesTheSetting(string setting, int value, string expected)
    {
        var options = new LimitOptions();
        typeof(LimitOptions).GetProperty(setting)!.SetValue(options, value);
        Assert.Equal(expected, options.Problem());
    }

    [Fact]
    public void Problem_Defaults_Usable() => Assert.Null(new LimitOptions().Problem());
}
