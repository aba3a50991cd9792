using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.Testing.V1;

namespace Quoncept.Grpc.Tests;

/// <summary>Our gRPC server on real Kestrel (real HTTP/2 framing) on a free 127.0.0.1 port.</summary>
public sealed class GrpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>"127.0.0.1:port", the form grpcio and grpc-js take.</summary>
    public string Target => $"{Address.Host}:{Address.Port}";

    public TestServiceProbe Probe => _app.Services.GetRequiredService<TestServiceProbe>();

    public HealthServiceImpl Health => _app.Services.GetRequiredService<HealthServiceImpl>();

    public static async Task<GrpcTestHost> StartAsync(Action<GrpcServiceOptions>? configure = null, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is null)
            {
                listen.Protocols = HttpProtocols.Http2;
            }
            else
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.AddGrpc(configure);
        builder.Services.AddSingleton<TestServiceProbe>();
        builder.Services.AddSingleton<TestServiceImpl>();

        var app = builder.Build();
        app.MapGrpcService<TestServiceImpl>(InteropReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("TestService"));
        app.MapGrpcHealthService();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GrpcTestHost(app, new Uri(address));
    }

    public static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
