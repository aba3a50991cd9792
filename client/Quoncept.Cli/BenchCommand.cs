using System.CommandLine;
using Grpc.Core;

namespace Quoncept.Cli;

/// <summary>quoncept bench: N simulated clients log in, move and chat for T seconds; prints latencies and throughput.</summary>
internal static class BenchCommand
{
    public static Command Create(Option<Uri> gateway)
    {
        var clients = new Option<int>("--clients", "-n") { Description = "Simulated clients (1..10000)", DefaultValueFactory = _ => 1000 };
        clients.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000) r.AddError("--clients must be 1..10000"); });
        var seconds = new Option<int>("--seconds", "-t") { Description = "How long the clients play (1..600 s)", DefaultValueFactory = _ => 20 };
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 600) r.AddError("--seconds must be 1..600"); });
        var users = new Option<string>("--users") { Description = "Username pattern; {0} is the user number", DefaultValueFactory = _ => "pilot{0:D6}" };
        var first = new Option<int>("--first") { Description = "Number of the first user (the shipped data has pilot000006..pilot010000)", DefaultValueFactory = _ => 6 };
        first.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--first must be 0 or more"); });
        users.Validators.Add(r => { if (!(r.GetValueOrDefault<string>() ?? "").Contains("{0", StringComparison.Ordinal)) r.AddError("--users must contain {0}"); });
        // A jump through a gate or a line of chat every 5 s per pilot is already far busier than people play;
        // 1000 ms is the stress setting (1,000 actions/s from 1,000 clients, more than 2 cores carry).
        var interval = new Option<int>("--interval-ms") { Description = "Mean time between one client's actions, a move or a chat line (50..60000 ms)", DefaultValueFactory = _ => 5000 };
        interval.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 50 or > 60_000) r.AddError("--interval-ms must be 50..60000"); });
        // 25 a second fills a 1,000-client server in 40 s: a restart's worth of returning players, far above a normal day's trickle.
        var loginRate = new Option<int>("--login-rate") { Description = "Clients arriving per second, each playing once logged in (1..10000); 0 logs everyone in first, 16 at a time", DefaultValueFactory = _ => 25 };
        loginRate.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 10_000) r.AddError("--login-rate must be 0..10000"); });
        var extraGateways = new Option<Uri[]>("--also") { Description = "More gateway addresses; clients are spread over all of them", AllowMultipleArgumentsPerToken = true, CustomParser = GatewayAddress.ParseMany };

        var command = new Command("bench", "N simulated clients log in, move around and chat for T seconds; prints latencies, throughput and gateway memory")
        {
            clients, seconds, users, first, interval, loginRate, extraGateways,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var gateways = new[] { parse.GetRequiredValue(gateway) }.Concat(parse.GetValue(extraGateways) ?? []).ToArray();
            var settings = new BenchSettings(gateways, parse.GetValue(clients), TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetRequiredValue(users), parse.GetValue(first), TimeSpan.FromMilliseconds(parse.GetValue(interval)), parse.GetValue(loginRate));
            try
            {
                var report = await new BenchRun(settings, Console.Out).RunAsync(cancellationToken);
                report.Print(Console.Out);
                return report.Failures == 0 ? 0 : 1;
            }
            catch (RpcException e)
            {
                await Console.Error.WriteLineAsync($"bench failed: {e.StatusCode}: {e.Status.Detail}");
                return 1;
            }
        });
        return command;
    }
}
