using Quoncept.Universe.Tests.EndToEnd;

namespace Quoncept.Universe.Tests.Interop;

/// <summary>@grpc/grpc-js (npm, tests/node/grpc-interop) against the gateway.</summary>
[Collection(UniverseCollection.Name)]
public sealed class GrpcJsGatewayTests(UniverseFixture universe) : GatewayPeerScenarios(universe)
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "tests", "node", "grpc-interop");

    protected override Task<(int ExitCode, string Output)> RunPeerAsync(string target, string scenario, string username)
    {
        Assert.True(Directory.Exists(Path.Combine(Folder, "node_modules", "@grpc", "grpc-js")),
            "@grpc/grpc-js is not installed in tests/node/grpc-interop: run ./test.sh (it runs npm ci there).");
        return PeerProcess.RunAsync("node", Folder, TimeSpan.FromSeconds(60), "gateway_client.mjs", target, GatewayDescriptors.DescriptorSet, scenario, username);
    }
}
