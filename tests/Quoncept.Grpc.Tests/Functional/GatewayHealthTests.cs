using Quoncept.Sidecar.Runner;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;

namespace Quoncept.Grpc.Tests.Functional;

/// <summary>The gateway executable serves grpc.health.v1 on the address given by --urls (h2c).</summary>
public sealed class GatewayHealthTests
{
    [Fact]
    public async Task Gateway_Urls_ServesHealthCheckOverH2c()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var gateway = Path.Combine(RepoPaths.Root, "services", "Quoncept.Gateway", "bin", configuration, "net10.0", "Quoncept.Gateway.dll");
        Assert.True(File.Exists(gateway), $"{gateway} is missing: build the solution first (./test.sh does).");
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["Quoncept__Jwt__SigningKey"] = "gateway-health-test-signing-key-of-32-bytes-or-more",
        };
        await using var process = PeerProcess.Start("dotnet", RepoPaths.Root, environment, gateway, "--urls", $"http://127.0.0.1:{port}");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var response = await channel.AsyncUnaryCall(TestMethods.HealthCheck, new HealthCheckRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5)));
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (RpcException ex)
            {
                Assert.Fail($"gateway health check failed: {ex.Status}\n{process.Output}");
            }
        }
    }

}
