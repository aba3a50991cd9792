using System.Globalization;
using Quoncept.Client;
using Quoncept.Universe.Tests.EndToEnd;
using Quoncept.Universe.Tests.Interop;
using Xunit.Abstractions;

namespace Quoncept.Universe.Tests.Browser;

/// <summary>
/// The page (client/web) in Debian's chromium, driven by playwright-core (tests/node/browser/page_test.mjs)
/// against gateway A's web port, while carol, a third player on the gRPC stream of gateway B, watches
/// the same system. Screenshots of every step are written to browser-screenshots/ beside this assembly.
/// </summary>
[Collection(UniverseCollection.Name)]
public sealed class BrowserPageTests(UniverseFixture universe, ITestOutputHelper log)
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "tests", "node", "browser");

    [Fact]
    public async Task Page_AliceAndBobInChromium_JumpChatReloadAndAGrpcPlayerSeesThem()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is not installed: run ./test.sh (it installs it with apt-get).");
        Assert.True(Directory.Exists(Path.Combine(Folder, "node_modules", "playwright-core")),
            "playwright-core is not installed in tests/node/browser: run ./test.sh (it runs npm ci there).");
        var carolSession = (await universe.B.CreateSessionAsync("carol")).Value;
        await using var carol = await universe.B.ConnectAsync(carolSession);
        var carolLogin = (await carol.LoginAsync()).Value;

        var shots = Path.Combine(AppContext.BaseDirectory, "browser-screenshots");
        var (exitCode, output) = await PeerProcess.RunAsync("node", Folder, TimeSpan.FromSeconds(150), "page_test.mjs",
            universe.WebA.ToString(), shots, ((int)UniverseFixture.GracePeriod.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        log.WriteLine($"screenshots: {shots}\n{output}");
        Assert.True(exitCode == 0 && output.Contains("OK page", StringComparison.Ordinal),
            $"the page test failed (exit {exitCode}); screenshots in {shots}:\n{output}\n{universe.Log[^Math.Min(3000, universe.Log.Length)..]}");

        // Carol, on the gRPC stream of the other gateway, saw the browser players: in her system,
        // talking, and leaving only when they logged out (never across alice's reload or bob's reconnect).
        var seen = await carol.CollectAsync(TimeSpan.FromSeconds(1));
        var names = seen.Select(e => e.Arrived?.Character.Name).OfType<string>().ToHashSet();
        Assert.Contains("Bob", names);
        Assert.True(names.Contains("Alice") || carolLogin.System.Present.Any(c => c.Name == "Alice"), "carol never saw alice");
        Assert.Contains(seen, e => e.Chat is { CharacterName: "Alice", Text: "hello bob, welcome back" });
        Assert.Contains(seen, e => e.Chat is { CharacterName: "Bob", Text: "thanks alice" });
        var departures = seen.Where(e => e.Departed is { CharacterName: "Alice" or "Bob" }).Select(e => $"{e.Departed!.CharacterName}:{e.Departed.Reason}").ToList();
        Assert.DoesNotContain(departures, d => d.EndsWith(":timeout", StringComparison.Ordinal));
        Assert.Equal(1, departures.Count(d => d == "Alice:logout"));
        Assert.Equal(1, departures.Count(d => d == "Bob:logout"));
        await carol.LogoutAsync();
    }
}
