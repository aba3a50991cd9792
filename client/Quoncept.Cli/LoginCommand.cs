using System.CommandLine;
using Quoncept.Client;
using Grpc.Core;
using Spectre.Console;

namespace Quoncept.Cli;

/// <summary>quoncept login &lt;user&gt;: a live view of the character's system, driven by typed commands.</summary>
internal static class LoginCommand
{
    public static Command Create(Option<Uri> gateway)
    {
        var user = new Argument<string>("user") { Description = "Username to log in as (e.g. alice)" };
        var trace = new Option<bool>("--trace") { Description = "Record every request end to end (a sampled W3C trace context) and print its trace id" };
        var command = new Command("login", "Log in and watch your system live; type /help for commands") { user, trace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = new QuonceptClient(parse.GetRequiredValue(gateway)) { Trace = parse.GetValue(trace) };
            try
            {
                await using var view = await LiveView.OpenAsync(client, parse.GetRequiredValue(user), AnsiConsole.Console, cancellationToken);
                return await view.RunAsync(Console.In, cancellationToken);
            }
            catch (RpcException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.StatusCode}[/]: {e.Status.Detail}");
                return e.StatusCode == StatusCode.NotFound ? 2 : 1;
            }
            catch (RequestFailedException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Code}[/]: {e.Detail}");
                return 1;
            }
        });
        return command;
    }
}
