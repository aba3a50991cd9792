using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Quoncept.Client;
using Grpc.Core;
using Quoncept.V1;

namespace Quoncept.Cli;

/// <summary>
/// One bench. Clients arrive at <see cref="BenchSettings.LoginRate"/> per second (an open loop:
/// each login starts on schedule, whether or not the ones before it are done), and each starts
/// playing as soon as it is in, so later logins meet the load of the clients already playing.
/// With a rate of 0 they log in as a storm instead, 16 at a time, before anyone plays. Once all
/// are in, everyone plays for <see cref="BenchSettings.Duration"/>: each client moves to a
/// random neighbour or chats about once per interval, then everyone logs out.
/// Move-to-arrival latency is the time from a client sending Move to another client in the
/// destination seeing the arrival, both measured on this process's clock.
/// </summary>
internal sealed class BenchRun(BenchSettings settings, TextWriter log)
{
    private const int StormConcurrency = 16;
    private readonly LatencyRecorder _sessions = new();
    private readonly LatencyRecorder _logins = new();
    private readonly LatencyRecorder _moves = new();
    private readonly LatencyRecorder _chats = new();
    private readonly LatencyRecorder _pings = new();
    private readonly LatencyRecorder _arrivals = new();
    private readonly ConcurrentDictionary<string, (string ToSystemId, long SentAt)> _lastMove = new(StringComparer.Ordinal);
    private long _events;
    private int _failures;

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var clients = settings.Gateways.Select(g => new QuonceptClient(g)).ToArray();
        var probes = settings.Gateways.Select(GatewayMemoryProbe.Find).OfType<GatewayMemoryProbe>().DistinctBy(p => p.Pid).ToArray();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var samplers = probes.Select(p => p.SampleAsync(TimeSpan.FromMilliseconds(100), sampling.Token)).ToArray();
        var bots = new Bot?[settings.Clients];
        using var playing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var players = new List<Task>(settings.Clients);
        try
        {
            var arrival = settings.LoginRate > 0 ? $"{settings.LoginRate} per second, each playing once in" : $"{StormConcurrency} at a time";
            await log.WriteLineAsync($"logging in {settings.Clients} clients through {string.Join(", ", settings.Gateways)} ({arrival}) ...");
            if (settings.LoginRate > 0)
            {
                await ArriveAtRateAsync(clients, bots, players, playing.Token, cancellationToken);
            }
            else
            {
                await Parallel.ForAsync(0, settings.Clients, new ParallelOptions { MaxDegreeOfParallelism = StormConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
                {
                    bots[i] = await LogInAsync(clients[i % clients.Length], User(i), ct);
                });
                players.AddRange(bots.OfType<Bot>().Select(b => PlayAsync(b, playing.Token)));
            }

            var ready = bots.OfType<Bot>().ToArray();
            await log.WriteLineAsync($"{ready.Length} logged in; all playing for {settings.Duration.TotalSeconds:F0} s ...");
            Interlocked.Exchange(ref _events, 0);
            var playStarted = Stopwatch.GetTimestamp();
            playing.CancelAfter(settings.Duration);
            await Task.WhenAll(players);
            var played = Stopwatch.GetElapsedTime(playStarted);
            var events = Interlocked.Read(ref _events);
            await log.WriteLineAsync("logging out ...");
            await Task.WhenAll(ready.Select(b => LogOutAsync(b)));
            await sampling.CancelAsync();
            await Task.WhenAll(samplers);
            return new BenchReport(settings, ready.Length, _sessions, _logins, _moves, _chats, _pings, _arrivals, events / played.TotalSeconds,
                probes.Select(p => (p.Pid, p.PeakRssBytes)).ToArray(), _failures);
        }
        finally
        {
            await playing.CancelAsync();
            foreach (var bot in bots.OfType<Bot>()) await bot.Connection.DisposeAsync();
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>Starts login i at i / rate seconds; returns when every login has finished.</summary>
    private async Task ArriveAtRateAsync(QuonceptClient[] clients, Bot?[] bots, List<Task> players, CancellationToken playing, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var logins = new Task[settings.Clients];
        for (var i = 0; i < settings.Clients; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)settings.LoginRate) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
            var index = i;
            logins[i] = Task.Run(async () =>
            {
                bots[index] = await LogInAsync(clients[index % clients.Length], User(index), cancellationToken);
                if (bots[index] is { } bot)
                {
                    lock (players) players.Add(PlayAsync(bot, playing));
                }
            }, cancellationToken);
        }

        await Task.WhenAll(logins);
    }

    private string User(int index) => string.Format(CultureInfo.InvariantCulture, settings.UserPattern, settings.FirstUser + index);

    private async Task<Bot?> LogInAsync(QuonceptClient client, string user, CancellationToken cancellationToken)
    {
        try
        {
            var session = await client.CreateSessionAsync(user, cancellationToken);
            _sessions.Add(session.Latency);
            var connection = await client.ConnectAsync(session.Value, cancellationToken: cancellationToken);
            var login = await connection.LoginAsync(cancellationToken);
            _logins.Add(login.Latency);
            var bot = new Bot(session.Value.CharacterId, connection) { System = login.Value.System.System };
            bot.Reader = ReadEventsAsync(bot);
            return bot;
        }
        catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException)
        {
            if (Interlocked.Increment(ref _failures) <= 5) await log.WriteLineAsync($"login of {user} failed: {e.Message}");
            return null;
        }
    }

    private async Task PlayAsync(Bot bot, CancellationToken cancellationToken)
    {
        var random = new Random(bot.CharacterId.GetHashCode(StringComparison.Ordinal));
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(settings.ActionInterval * (0.5 + random.NextDouble()), cancellationToken);
                if (random.Next(2) == 0 && bot.System.Neighbours.Count > 0)
                {
                    var to = bot.System.Neighbours[random.Next(bot.System.Neighbours.Count)].Id;
                    _lastMove[bot.CharacterId] = (to, Stopwatch.GetTimestamp());
                    var move = await bot.Connection.MoveAsync(to, cancellationToken);
                    _moves.Add(move.Latency);
                    bot.System = move.Value.System.System;
                }
                else
                {
                    var chat = await bot.Connection.ChatAsync("o7 from the bench", cancellationToken);
                    _chats.Add(chat.Latency);
                }
                // The gateway answers Ping itself: its round trip is the gateway's own share of the others.
                _pings.Add((await bot.Connection.PingAsync(cancellationToken)).Latency);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException)
        {
            if (Interlocked.Increment(ref _failures) <= 5) await log.WriteLineAsync($"{bot.CharacterId}: {e.Message}");
        }
    }

    private async Task ReadEventsAsync(Bot bot)
    {
        await foreach (var e in bot.Connection.Events.ReadAllAsync())
        {
            if (e.Message is null) continue;
            Interlocked.Increment(ref _events);
            if (e.Arrived is { } arrived && _lastMove.TryGetValue(arrived.Character.Id, out var move) && move.ToSystemId == arrived.SystemId)
            {
                _arrivals.Add(Stopwatch.GetElapsedTime(move.SentAt, e.ReceivedTimestamp));
            }
            if (e.Terminate is { } t && Interlocked.Increment(ref _failures) <= 5) await log.WriteLineAsync($"{bot.CharacterId} terminated: {t.Reason}");
        }
    }

    private async Task LogOutAsync(Bot bot)
    {
        try
        {
            await bot.Connection.LogoutAsync();
        }
        catch (Exception e) when (e is RpcException or RequestFailedException or TimeoutException)
        {
            if (Interlocked.Increment(ref _failures) <= 5) await log.WriteLineAsync($"logout of {bot.CharacterId} failed: {e.Message}");
        }
    }

    private sealed class Bot(string characterId, QuonceptConnection connection)
    {
        public string CharacterId { get; } = characterId;
        public QuonceptConnection Connection { get; } = connection;
        public SystemInfo System { get; set; } = new();
        public Task? Reader { get; set; }
    }
}
