using Grpc.Core;
using Quoncept.Client;
using Quoncept.V1;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>
/// The gateway's limits against a universe of its own with tight values (loopback not exempt): each one hit
/// through the real gateway is refused with RESOURCE_EXHAUSTED and a message naming the limit, and what was
/// refused never stops the rest.
/// </summary>
public sealed class LimitsTests : IAsyncLifetime
{
    private readonly UniverseFixture _universe = new(new UniverseOptions(Environment: new Dictionary<string, string>
    {
        ["Quoncept__Gateway__Limits__ExemptLoopback"] = "false",
        ["Quoncept__Gateway__Limits__RequestsPerSecond"] = "5",
        ["Quoncept__Gateway__Limits__RequestBurst"] = "5",
        ["Quoncept__Gateway__Limits__StreamsPerAddress"] = "3",
        ["Quoncept__Gateway__Limits__SessionsPerSecondPerAddress"] = "4",
        ["Quoncept__Gateway__Limits__SessionBurstPerAddress"] = "4",
        ["Quoncept__Gateway__Limits__MaxMessageBytes"] = "2048",
    }));

    public Task InitializeAsync() => _universe.InitializeAsync();

    public Task DisposeAsync() => _universe.DisposeAsync();

    [Fact]
    public async Task Limits_EachHitThroughTheGateway_ResourceExhaustedNamingIt()
    {
        // One test, in order, so that the per-address budgets of one limit do not spill into the next.
        await SessionsPerSecond_FloodFromOneAddress_RefusedThenServedAgain();
        await RequestsPerSecond_FloodOnOneStream_OverTheRateRefusedStreamStaysOpen();
        await MaxMessageBytes_OversizedMessage_EndsTheCallWithResourceExhausted();
        await StreamsPerAddress_OneTooMany_RefusedUntilOneCloses();
    }

    private async Task SessionsPerSecond_FloodFromOneAddress_RefusedThenServedAgain()
    {
        var users = _universe.Users.TakeGroup(10);
        var outcomes = await Task.WhenAll(users.Select(async u =>
        {
            try
            {
                await _universe.A.CreateSessionAsync(u.Username);
                return null;
            }
            catch (RpcException e)
            {
                return e;
            }
        }));

        var refused = outcomes.OfType<RpcException>().ToList();
        Assert.InRange(refused.Count, 1, 6);
        Assert.All(refused, e => Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode));
        Assert.Contains("at most 4 per second (limit Limits:SessionsPerSecondPerAddress); retry in a second", refused[0].Status.Detail, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await _universe.A.CreateSessionAsync(users[0].Username);
    }

    private async Task RequestsPerSecond_FloodOnOneStream_OverTheRateRefusedStreamStaysOpen()
    {
        await using var connection = await ConnectAsync(_universe.Users.Take().Username);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => connection.SendAsync(new ClientMessage { Ping = new Ping() })));

        var refused = answers.Where(a => a.Value.BodyCase == ServerMessage.BodyOneofCase.Error).Select(a => a.Value).ToList();
        Assert.InRange(refused.Count, 5, 15);
        Assert.All(refused, r => Assert.Equal(ErrorCode.ResourceExhausted, r.Error.Code));
        Assert.Contains("more than 5 requests per second on this stream (limit Limits:RequestsPerSecond, burst 5)", refused[0].Error.Message, StringComparison.Ordinal);
        Assert.Equal(20, answers.Select(a => a.Value.RequestId).Distinct().Count());

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.True((await connection.PingAsync()).Value.ServerTimeUnixMs > 0);
    }

    private async Task MaxMessageBytes_OversizedMessage_EndsTheCallWithResourceExhausted()
    {
        await using var connection = await ConnectAsync(_universe.Users.Take().Username);
        var oversized = new ClientMessage { Chat = new Chat { Text = new string('a', 3000) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => connection.SendAsync(oversized));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, (await connection.StreamEnded).StatusCode);
    }

    private async Task StreamsPerAddress_OneTooMany_RefusedUntilOneCloses()
    {
        var open = new List<QuonceptConnection>();
        try
        {
            for (var i = 0; i < 3; i++) open.Add(await ConnectAsync(_universe.Users.Take().Username));
            var fourth = (await CreateSessionAsync(_universe.Users.Take().Username));

            var refused = await Assert.ThrowsAsync<RpcException>(() => _universe.A.ConnectAsync(fourth));

            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Contains("3 streams are already open from 127.0.0.1 (limit Limits:StreamsPerAddress)", refused.Status.Detail, StringComparison.Ordinal);
            // The other gateway counts its own streams.
            await using (await _universe.B.ConnectAsync(fourth))
            {
            }

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (true)
            {
                try
                {
                    open.Add(await _universe.A.ConnectAsync(fourth));
                    break;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }
        }
        finally
        {
            foreach (var connection in open) await connection.DisposeAsync();
        }
    }

    private async Task<QuonceptConnection> ConnectAsync(string username) => await _universe.A.ConnectAsync(await CreateSessionAsync(username));

    /// <summary>CreateSession, waiting out the sessions-per-second limit the flood above spent.</summary>
    private async Task<CreateSessionResponse> CreateSessionAsync(string username)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await _universe.A.CreateSessionAsync(username)).Value;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && attempt < 20)
            {
                await Task.Delay(300);
            }
        }
    }
}
