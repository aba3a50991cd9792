using System.Text.RegularExpressions;
using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Interop;

/// <summary>
/// What every gRPC client relies on, proven at the gateway by a real peer (a child process that
/// prints "OK {scenario}" and exits 0): sessions and their refusals, the Connect stream, bad
/// input statuses, message-size limits, deadlines and cancellation (with their effect on the
/// server: the session's grace period starts and the character times out), health Check/Watch,
/// unknown methods, and gzip. A subclass names the peer and runs one scenario.
/// </summary>
public abstract partial class GatewayPeerScenarios(UniverseFixture universe)
{
    protected abstract Task<(int ExitCode, string Output)> RunPeerAsync(string target, string scenario, string username);

    private async Task<string> RunAsync(string scenario, string? username = null)
    {
        var target = $"127.0.0.1:{universe.GatewayA.Port}";
        var (exitCode, output) = await RunPeerAsync(target, scenario, username ?? universe.Users.Take().Username);
        Assert.True(exitCode == 0 && output.Contains("OK " + scenario, StringComparison.Ordinal),
            $"{GetType().Name} scenario '{scenario}' failed (exit {exitCode}):\n{output}");
        return output;
    }

    [Fact]
    public Task CreateSession_KnownUnknownAndMalformedUsernames_TokenNotFoundInvalidArgument() => RunAsync("session");

    [Fact]
    public Task Connect_LoginPingChatBadRequestsRepeatLogout_AnsweredByRequestId() => RunAsync("stream");

    [Fact]
    public Task Connect_MissingOrForgedTokenOrBadConnectionId_IsRefusedBeforeAnyMessage() => RunAsync("unauthenticated");

    [Fact]
    public Task CreateSession_MessageOverTheLimit_IsResourceExhausted() => RunAsync("resource_exhausted");

    [Fact]
    public Task CreateSession_UnparsableMessage_IsUnknownAndTheGatewayServesOn() => RunAsync("bad_message");

    [Fact]
    public Task UnknownMethodOrService_IsUnimplemented() => RunAsync("unimplemented");

    [Fact]
    public Task Health_CheckAndWatch_ServingAndNotFound() => RunAsync("health");

    [Fact]
    public Task Gzip_CompressedRequests_AreServed() => RunAsync("gzip");

    [Fact]
    public async Task Connect_DeadlineExpires_ServerEndsTheCallAndTheCharacterTimesOut() =>
        await AssertTimesOutAsync(await RunAsync("deadline"));

    [Fact]
    public async Task Connect_ClientCancels_ServerEndsTheCallAndTheCharacterTimesOut() =>
        await AssertTimesOutAsync(await RunAsync("cancel"));

    /// <summary>
    /// The gateway noticed the call's end (deadline or cancellation) and detached the session: after
    /// the grace period the character is logged out. A server that kept the call would keep it online.
    /// </summary>
    private async Task AssertTimesOutAsync(string output)
    {
        var characterId = CharacterLine().Match(output).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(characterId), "the peer did not print its character id:\n" + output);
        var deadline = DateTime.UtcNow + UniverseFixture.GracePeriod + TimeSpan.FromSeconds(20);
        while ((await universe.A.GetCharacterAsync(characterId)).Online)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{characterId} was still online {UniverseFixture.GracePeriod.TotalSeconds + 20} s after its stream ended:\n{universe.Log[^Math.Min(4000, universe.Log.Length)..]}");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"^CHARACTER (\S+)", RegexOptions.Multiline)]
    private static partial Regex CharacterLine();
}
