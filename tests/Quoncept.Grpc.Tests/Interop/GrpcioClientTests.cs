namespace Quoncept.Grpc.Tests.Interop;

/// <summary>Python grpcio (Debian python3-grpcio, /usr/bin/python3) calling our server.</summary>
public sealed class GrpcioClientTests : PeerClientScenarios
{
    private const string Python = "/usr/bin/python3";

    protected override Task<(int ExitCode, string Output)> RunPeerAsync(string target, string scenario, string? rootCertificate)
    {
        string[] arguments = ["grpcio_client.py", target, RepoPaths.DescriptorSet, scenario, .. rootCertificate is null ? Array.Empty<string>() : [rootCertificate]];
        return PeerProcess.RunAsync(Python, RepoPaths.GrpcioScripts, TimeSpan.FromSeconds(30), arguments);
    }
}
