using Quoncept.Benchmarks.Universe;

// Benchmarks are commands that print figures: dotnet run -c Release --project tests/Quoncept.Benchmarks -- <name>
return args.FirstOrDefault() switch
{
    "grpc" => await Quoncept.Benchmarks.Grpc.GrpcBenchmark.RunAsync(args[1..]),
    "universe-data" => UniverseDataCommand.Run(args[1..]),
    "loader" => LoaderBenchmark.Run(args[1..]),
    "services" => await ServicesBenchmark.RunAsync(args[1..]),
    "actors" => await Quoncept.Benchmarks.Actors.ActorBenchmark.RunAsync(args[1..]),
    "pubsub" => await Quoncept.Benchmarks.PubSub.PubSubBenchmark.RunAsync(args[1..]),
    "idle-streams" => await Quoncept.Benchmarks.Idle.IdleStreamsBenchmark.RunAsync(args[1..]),
    "hops" => await Quoncept.Benchmarks.Hops.HopsBenchmark.RunAsync(args[1..]),
    "hops-server" => await Quoncept.Benchmarks.Hops.HopServer.RunAsync(args[1..]),
    "fanout" => await Quoncept.Benchmarks.Fanout.FanoutBenchmark.RunAsync(args[1..]),
    "fanout-server" => await Quoncept.Benchmarks.Fanout.FanoutServer.RunAsync(args[1..]),
    _ => Usage(),
};

// An unknown or missing name prints the list and exits 2.
static int Usage()
{
    Console.Error.WriteLine("benchmarks: grpc | universe-data | loader | services | actors | pubsub | idle-streams | hops | fanout");
    return 2;
}
