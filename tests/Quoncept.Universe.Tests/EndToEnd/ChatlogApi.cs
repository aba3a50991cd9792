using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Quoncept.Chatlog.Log;
using Quoncept.Client;
using Quoncept.Contracts;

namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>The chatlog app of a running universe, as a test talks to it: its query API, and its delivery endpoint as the sidecar calls it.</summary>
internal sealed class ChatlogApi(UniverseFixture universe) : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public HttpClient Http { get; } = new() { BaseAddress = universe.Chatlog, Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => Http.Dispose();

    public async Task<ChatLogPage> QueryAsync(string query)
    {
        using var response = await Http.GetAsync(new Uri($"/chatlog?{query}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /chatlog?{query}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<ChatLogPage>(body, WireJson.Options)!;
    }

    public async Task<IReadOnlyList<LoggedLine>> EventuallyAsync(string query, Func<IReadOnlyList<LoggedLine>, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var lines = (await QueryAsync(query)).Lines;
            if (done(lines)) return lines;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"GET /chatlog?{query} still answers {lines.Count} line(s): {string.Join(" | ", lines.Select(l => l.Text))}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// The in-memory pub/sub gives a subscriber only what is published after it subscribed, and the fixture waits for
    /// the gateways, not for the chatlog's subscription: say system chat until a line of it is in the log.
    /// </summary>
    public async Task WaitUntilItHearsAsync(QuonceptConnection speaker, string characterId)
    {
        var deadline = DateTime.UtcNow + Patience;
        var probe = "is the chat log listening? " + Guid.NewGuid().ToString("N")[..8];
        while (DateTime.UtcNow < deadline)
        {
            await speaker.ChatAsync(probe);
            for (var i = 0; i < 10; i++)
            {
                if ((await QueryAsync($"character={characterId}")).Lines.Any(l => l.Text == probe)) return;
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"the chat log never logged a line said by {characterId}:\n{universe.Log}");
    }

    /// <summary>
    /// Delivers <paramref name="e"/> to the chatlog as the sidecar does (a bulk delivery of one CloudEvent on POST /chat)
    /// and returns its entry's status.
    /// </summary>
    public async Task<string?> DeliverAsync(UniverseEvent e) => Assert.Single(await DeliverBulkAsync(CloudEvent(e)));

    /// <summary>A CloudEvent as the sidecar wraps a published event (data typed as the base, so that it carries its "type").</summary>
    public static object CloudEvent(UniverseEvent data) =>
        new { id = Guid.NewGuid().ToString(), specversion = "1.0", type = "com.dapr.event.sent", datacontenttype = "application/json", data };

    /// <summary>One bulk delivery of <paramref name="events"/> on POST /chat, as the sidecar makes it; the status of each entry, in order.</summary>
    public async Task<IReadOnlyList<string?>> DeliverBulkAsync(params object[] events)
    {
        var bulk = new
        {
            id = Guid.NewGuid().ToString(),
            pubsubname = "pubsub",
            topic = "chat",
            type = "com.dapr.event.sent.bulk",
            metadata = new Dictionary<string, string>(),
            entries = events.Select((e, i) => new { entryId = $"e{i}", @event = e, contentType = "application/cloudevents+json", metadata = new Dictionary<string, string>() }),
        };
        using var response = await Http.PostAsync(new Uri("/chat", UriKind.Relative), JsonContent.Create(bulk, options: WireJson.Options));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statuses = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statuses").EnumerateArray().ToList();
        Assert.Equal(events.Select((_, i) => $"e{i}"), statuses.Select(s => s.GetProperty("entryId").GetString()));
        return [.. statuses.Select(s => s.GetProperty("status").GetString())];
    }
}
