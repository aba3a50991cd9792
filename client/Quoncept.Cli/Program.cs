using System.CommandLine;
using Quoncept.Cli;

var gateway = new Option<Uri>("--gateway", "-g")
{
    Description = "Gateway address (http://host:port)",
    DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080"),
    CustomParser = GatewayAddress.Parse,
    Recursive = true,
};

var root = new RootCommand("quoncept: play in and measure a Quoncept universe") { gateway };
root.Subcommands.Add(LoginCommand.Create(gateway));
root.Subcommands.Add(BenchCommand.Create(gateway));
root.Subcommands.Add(ChatBenchCommand.Create(gateway));
root.Subcommands.Add(ChatlogCommand.Create());          // search and tail the chat log (its HTTP API, not the gateway)
return await root.Parse(args).InvokeAsync();
