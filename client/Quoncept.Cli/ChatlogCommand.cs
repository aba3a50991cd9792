using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;

namespace Quoncept.Cli;

/// <summary>
/// quoncept chatlog search | tail: reads the chat log service's query API (GET /chatlog, services/README.md).
/// The address is --chatlog, else the environment variable QUONCEPT_CHATLOG, else http://127.0.0.1:5106 (the
/// chatlog's appPort in dapr/dapr.yaml, where ./run.sh starts it).
/// </summary>
internal static class ChatlogCommand
{
    public const string AddressVariable = "QUONCEPT_CHATLOG";
    public const string DefaultAddress = "http://127.0.0.1:5106";

    public static Command Create()
    {
        var address = new Option<Uri>("--chatlog")
        {
            Description = $"The chat log's address (default: ${AddressVariable}, else {DefaultAddress})",
            DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable(AddressVariable) is { Length: > 0 } a ? a : DefaultAddress),
            CustomParser = ParseAddress,
            Recursive = true,
        };
        var character = new Option<string?>("--character", "-c") { Description = "Lines said by or to this character id", Recursive = true };
        var channel = new Option<string?>("--channel") { Description = "Lines of this channel (world, a group channel, or system:<system id>)", Recursive = true };

        var from = new Option<long?>("--from") { Description = "Said at or after this time: unix milliseconds or an ISO 8601 time (default: a day before --to)", CustomParser = ParseTime };
        var to = new Option<long?>("--to") { Description = "Said before this time: unix milliseconds or an ISO 8601 time (default: now)", CustomParser = ParseTime };
        var limit = new Option<int>("--limit", "-n") { Description = "Lines per page (1..500)", DefaultValueFactory = _ => 50 };
        var all = new Option<bool>("--all") { Description = "Follow the cursor through every page of the range" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue where a previous search stopped (its 'more:' cursor)" };
        var search = new Command("search", "Lines of the log, newest first") { from, to, limit, all, cursor };
        search.SetAction(async (parse, cancellationToken) =>
        {
            using var http = NewHttp(parse.GetRequiredValue(address));
            var parameters = Filters(parse.GetValue(character), parse.GetValue(channel));
            if (parse.GetValue(from) is { } f) parameters.Add(("from", f.ToString(CultureInfo.InvariantCulture)));
            if (parse.GetValue(to) is { } t) parameters.Add(("to", t.ToString(CultureInfo.InvariantCulture)));
            parameters.Add(("limit", parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)));
            var next = parse.GetValue(cursor);
            do
            {
                var page = await QueryAsync(http, next is null ? parameters : [.. parameters, ("cursor", next)], cancellationToken);
                if (page is null) return 1;
                foreach (var line in page.Value.Lines) Console.WriteLine(Format(line));
                next = page.Value.Next;
            }
            while (next is not null && parse.GetValue(all));
            if (next is not null) Console.WriteLine($"more: --cursor {next}");
            return 0;
        });

        var interval = new Option<int>("--interval-ms") { Description = "How often to ask for new lines (100..60000 ms)", DefaultValueFactory = _ => 1000 };
        interval.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 100 or > 60_000) r.AddError("--interval-ms must be 100..60000"); });
        var last = new Option<int>("--last") { Description = "Lines of the last hour to show first (0..500)", DefaultValueFactory = _ => 10 };
        last.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 500) r.AddError("--last must be 0..500"); });
        var tail = new Command("tail", "Follow the log: print new lines as they are logged, oldest first, until Ctrl-C") { interval, last };
        tail.SetAction(async (parse, cancellationToken) =>
        {
            using var http = NewHttp(parse.GetRequiredValue(address));
            var follower = new ChatlogTail(http, Filters(parse.GetValue(character), parse.GetValue(channel)));
            return await follower.RunAsync(parse.GetValue(last), TimeSpan.FromMilliseconds(parse.GetValue(interval)), cancellationToken);
        });

        return new Command("chatlog", "Search or follow the chat log (every system chat line, channel line, direct message and mail)")
        {
            address, character, channel, search, tail,
        };
    }

    internal static List<(string Name, string Value)> Filters(string? character, string? channel)
    {
        var parameters = new List<(string, string)>();
        if (character is not null) parameters.Add(("character", character));
        if (channel is not null) parameters.Add(("channel", channel));
        return parameters;
    }

    internal static HttpClient NewHttp(Uri address) => new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>One GET /chatlog; null after printing why it failed (the service's 400 message, or that it cannot be reached).</summary>
    internal static async Task<(IReadOnlyList<JsonElement> Lines, string? Next)?> QueryAsync(HttpClient http, IEnumerable<(string Name, string Value)> parameters, CancellationToken cancellationToken)
    {
        var query = string.Join('&', parameters.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));
        try
        {
            using var response = await http.GetAsync(new Uri($"/chatlog?{query}", UriKind.Relative), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            if (!response.IsSuccessStatusCode)
            {
                var message = json.RootElement.TryGetProperty("message", out var m) ? m.GetString() : body;
                await Console.Error.WriteLineAsync($"chatlog: {(int)response.StatusCode} {message}");
                return null;
            }
            var lines = json.RootElement.GetProperty("lines").EnumerateArray().Select(l => l.Clone()).ToList();
            var next = json.RootElement.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return (lines, next);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            if (cancellationToken.IsCancellationRequested) return null;
            await Console.Error.WriteLineAsync($"chatlog: cannot query {http.BaseAddress}: {e.Message} (is the universe running? give --chatlog or ${AddressVariable})");
            return null;
        }
    }

    /// <summary>"2026-12-01 05:10:00.123  [world] Alice (c1): hello"; a direct message "[direct to c2]", a mail "[mail to c2] subject | body".</summary>
    internal static string Format(JsonElement line)
    {
        string? Text(string name) => line.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(line.GetProperty("atUnixMs").GetInt64()).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var where = Text("kind") switch
        {
            "direct" => $"direct to {Text("toCharacterId")}",
            "mail" => $"mail to {Text("toCharacterId")}",
            _ => Text("channel"),
        };
        var said = Text("subject") is { } subject ? $"{subject} | {Text("text")}" : Text("text");
        return $"{at}  [{where}] {Text("fromName")} ({Text("fromCharacterId")}): {said}";
    }

    private static Uri? ParseAddress(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? DefaultAddress : result.Tokens[^1].Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0) return uri;
        result.AddError($"'{text}' is not a chat log address: give an absolute http://host:port address, e.g. {DefaultAddress}");
        return null;
    }

    private static long? ParseTime(ArgumentResult result)
    {
        var text = result.Tokens[^1].Value;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs)) return unixMs;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time.ToUnixTimeMilliseconds();
        result.AddError($"'{text}' is not a time: give unix milliseconds or an ISO 8601 time such as 2026-12-01T05:00:00Z");
        return null;
    }
}
