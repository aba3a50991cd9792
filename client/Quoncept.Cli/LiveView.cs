using System.Collections.Concurrent;
using Quoncept.Client;
using Grpc.Core;
using Quoncept.V1;
using Spectre.Console;

namespace Quoncept.Cli;

/// <summary>
/// The terminal view of one logged-in character: who is here, events as they arrive, and the
/// round-trip time of every command. Reads commands line by line, so it can also be scripted
/// (echo "hello" | quoncept login alice).
/// </summary>
internal sealed class LiveView : IAsyncDisposable
{
    private const string Help = "/move <system>  /say <text> (or just type)  /who  /look  /ping  /logout  /quit  /help (channels, /w, /mail, /friends...)";
    private readonly QuonceptClient _client;
    private readonly QuonceptConnection _connection;
    private readonly IAnsiConsole _console;
    private readonly SocialCommands _social;
    private readonly ConcurrentDictionary<string, Character> _present = new(StringComparer.Ordinal);
    private SystemInfo _system = new();
    private bool _loggedIn;

    private LiveView(QuonceptClient client, QuonceptConnection connection, IAnsiConsole console)
    {
        _client = client;
        _connection = connection;
        _console = console;
        _social = new SocialCommands(connection, console);
    }

    public static async Task<LiveView> OpenAsync(QuonceptClient client, string user, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var session = await client.CreateSessionAsync(user, cancellationToken);
        var connection = await client.ConnectAsync(session.Value, options: new ConnectionOptions { Trace = client.Trace }, cancellationToken: cancellationToken);
        var view = new LiveView(client, connection, console);
        var login = await connection.LoginAsync(cancellationToken);
        view._loggedIn = true;
        console.MarkupLineInterpolated($"[green]{login.Value.Character.Name}[/] logged in via {client.Address} (session {session.Latency.TotalMilliseconds:F1} ms{Traced(session)}, login {login.Latency.TotalMilliseconds:F1} ms{Traced(login)}). {Help}");
        view.Show(login.Value.System);
        view._social.ShowLogin(login.Value.Social);
        return view;
    }

    /// <summary>Runs until /quit, /logout, end of input, a Terminate from the server, or cancellation. Returns the exit code.</summary>
    public async Task<int> RunAsync(TextReader input, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = PrintEventsAsync(stop.Token);
        var exitCode = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var line = await input.ReadLineAsync(stop.Token);
                if (line is null) break;
                if (!await ExecuteAsync(line.Trim(), stop.Token)) break;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            exitCode = _connection.Terminated is null ? 0 : 3;
        }
        if (_loggedIn && _connection.Terminated is null)
        {
            try
            {
                var logout = await _connection.LogoutAsync(CancellationToken.None);
                _console.MarkupLineInterpolated($"[grey]logged out ({logout.Latency.TotalMilliseconds:F1} ms{Traced(logout)})[/]");
            }
            catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException)
            {
                _console.MarkupLineInterpolated($"[red]logout failed:[/] {e.Message}");
            }
        }
        await stop.CancelAsync();
        await events.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return _connection.Terminated is null ? exitCode : 3;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<bool> ExecuteAsync(string line, CancellationToken cancellationToken)
    {
        if (line.Length == 0) return true;
        var (verb, rest) = line[0] == '/' ? Split(line) : ("/say", line);
        try
        {
            switch (verb)
            {
                case "/say":
                    var chat = await _connection.ChatAsync(rest, cancellationToken);
                    _console.MarkupLineInterpolated($"[grey]said (#{chat.Value.Sequence}, {chat.Latency.TotalMilliseconds:F1} ms{Traced(chat)})[/]");
                    return true;
                case "/move":
                    var target = _system.Neighbours.FirstOrDefault(n => string.Equals(n.Name, rest, StringComparison.OrdinalIgnoreCase))?.Id ?? rest;
                    var move = await _connection.MoveAsync(target, cancellationToken);
                    _console.MarkupLineInterpolated($"[grey]jumped ({move.Latency.TotalMilliseconds:F1} ms{Traced(move)})[/]");
                    Show(move.Value.System);
                    return true;
                case "/who":
                    Show(null);
                    return true;
                case "/look":
                    var info = await _client.GetSystemAsync(_system.Id, cancellationToken);
                    _console.MarkupLineInterpolated($"{info.Name} ({info.Id}), security {info.Security:F1}; lanes to: {string.Join(", ", info.Neighbours.Select(n => n.Name))}");
                    return true;
                case "/ping":
                    var pong = await _connection.PingAsync(cancellationToken);
                    _console.MarkupLineInterpolated($"[grey]pong {pong.Latency.TotalMilliseconds:F2} ms{Traced(pong)}[/]");
                    return true;
                case "/logout":
                    var logout = await _connection.LogoutAsync(cancellationToken);
                    _loggedIn = false;
                    _console.MarkupLineInterpolated($"[grey]logged out ({logout.Latency.TotalMilliseconds:F1} ms{Traced(logout)})[/]");
                    return false;
                case "/quit":
                    return false;
                case "/help":
                    _console.WriteLine(Help + Environment.NewLine + SocialCommands.Help);
                    return true;
                case var social when await _social.TryExecuteAsync(social, rest, cancellationToken):
                    return true;
                default:
                    _console.MarkupLineInterpolated($"[yellow]unknown command {verb}[/]: {Help}");
                    return true;
            }
        }
        catch (RequestFailedException e)
        {
            _console.MarkupLineInterpolated($"[red]{e.Code}[/]: {e.Detail}");
            return true;
        }
        catch (RpcException e)
        {
            _console.MarkupLineInterpolated($"[red]{e.StatusCode}[/]: {e.Status.Detail}");
            return true;
        }
    }

    private async Task PrintEventsAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in _connection.Events.ReadAllAsync(cancellationToken))
        {
            if (e.Arrived is { } a)
            {
                _present[a.Character.Id] = a.Character;
                _console.MarkupLineInterpolated($"[green]+ {a.Character.Name}[/] arrived{(a.FromSystemId.Length > 0 ? $" from {a.FromSystemId}" : "")} [grey](#{a.Sequence})[/]");
            }
            else if (e.Departed is { } d)
            {
                _present.TryRemove(d.CharacterId, out _);
                var how = d.Reason switch { "moved" => $"jumped to {d.ToSystemId}", "timeout" => "timed out", _ => "logged out" };
                _console.MarkupLineInterpolated($"[yellow]- {d.CharacterName}[/] {how} [grey](#{d.Sequence})[/]");
            }
            else if (e.Chat is { } c)
            {
                _console.MarkupLineInterpolated($"[aqua]{c.CharacterName}[/]: {c.Text} [grey](#{c.Sequence})[/]");
            }
            else if (_social.TryPrint(e))
            {
            }
            else if (e.Terminate is { } t)
            {
                _console.MarkupLineInterpolated($"[red]terminated by the gateway: {t.Reason}[/] ({t.Message})");
            }
            else if (e.StreamEnded is { } status && _connection.Terminated is null && !cancellationToken.IsCancellationRequested)
            {
                _console.MarkupLineInterpolated($"[yellow]stream lost ({status.StatusCode}); reconnecting with connection id {_connection.ConnectionId}[/]");
                await ReconnectAsync(cancellationToken);
            }
        }
    }

    private async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= 5 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var login = await _connection.ReconnectAsync(cancellationToken);
                _console.MarkupLine("[green]reconnected[/]");
                if (login is not null) Show(login.Value.System);
                return;
            }
            catch (Exception e) when (e is RpcException or RequestFailedException or HttpRequestException or TimeoutException)
            {
                _console.MarkupLineInterpolated($"[yellow]reconnect {attempt} failed: {e.Message}[/]");
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    private void Show(SystemSnapshot? snapshot)
    {
        if (snapshot is not null)
        {
            _system = snapshot.System;
            _present.Clear();
            foreach (var c in snapshot.Present) _present[c.Id] = c;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{Markup.Escape(_system.Name)} ({Markup.Escape(_system.Id)}) sec {_system.Security:F1}")
            .AddColumn("here").AddColumn("lanes to");
        var here = string.Join("\n", _present.Values.Select(c => c.Name).Order(StringComparer.Ordinal));
        var lanes = string.Join("\n", _system.Neighbours.Select(n => $"{n.Name} ({n.Id})"));
        table.AddRow(Markup.Escape(here), Markup.Escape(lanes));
        _console.Write(table);
    }

    /// <summary>", trace {id}" when the request went with a trace context (quoncept login --trace), to look it up in Zipkin.</summary>
    private static string Traced<T>(Answer<T> answer) => answer.TraceId is { } id ? $", trace {id}" : "";

    private static (string Verb, string Argument) Split(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (line.ToLowerInvariant(), "") : (line[..space].ToLowerInvariant(), line[(space + 1)..].Trim());
    }
}
