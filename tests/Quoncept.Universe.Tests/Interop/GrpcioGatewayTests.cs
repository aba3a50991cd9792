using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Interop;

/// <summary>Python grpcio (Debian python3-grpcio, /usr/bin/python3) against the gateway.</summary>
[Collection(UniverseCollection.Name)]
public sealed class GrpcioGatewayTests(UniverseFixture universe) : GatewayPeerScenarios(universe)
{
    private const string Python = "/usr/bin/python3";

    protected override Task<(int ExitCode, string Output)> RunPeerAsync(string target, string scenario, string username) =>
        PeerProcess.RunAsync(Python, Path.Combine(RepoPaths.Root, "tests", "Quoncept.Universe.Tests", "Interop", "grpcio"), TimeSpan.FromSeconds(60),
            "grpcio_gateway.py", target, GatewayDescriptors.DescriptorSet, scenario, username);
}
