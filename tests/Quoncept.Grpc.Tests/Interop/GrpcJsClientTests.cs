namespace Quoncept.Grpc.Tests.Interop;

/// <summary>@grpc/grpc-js (npm, tests/node/grpc-interop) calling our server.</summary>
public sealed class GrpcJsClientTests : PeerClientScenarios
{
    protected override Task<(int ExitCode, string Output)> RunPeerAsync(string target, string scenario, string? rootCertificate)
    {
        Assert.True(
            Directory.Exists(Path.Combine(RepoPaths.NodeInterop, "node_modules", "@grpc", "grpc-js")),
            "@grpc/grpc-js is not installed in tests/node/grpc-interop: run ./test.sh (it runs npm ci there).");
        string[] arguments = ["client.mjs", target, Path.Combine(RepoPaths.Root, "protos"), scenario, .. rootCertificate is null ? Array.Empty<string>() : [rootCertificate]];
        return PeerProcess.RunAsync("node", RepoPaths.NodeInterop, TimeSpan.FromSeconds(30), arguments);
    }
}
