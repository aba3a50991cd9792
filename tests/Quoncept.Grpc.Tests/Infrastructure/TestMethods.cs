using Grpc.Health.V1;
using Quoncept.Testing.V1;

namespace Quoncept.Grpc.Tests;

/// <summary>Client-side method handles, built from the .proto descriptors.</summary>
public static class TestMethods
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = InteropReflection.Descriptor.Services[0];
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor HealthService = HealthReflection.Descriptor.Services[0];

    public static readonly Method<EchoRequest, EchoResponse> UnaryEcho = Method<EchoRequest, EchoResponse>.From(Service.FindMethodByName("UnaryEcho"));
    public static readonly Method<EchoRequest, EchoResponse> ServerStream = Method<EchoRequest, EchoResponse>.From(Service.FindMethodByName("ServerStream"));
    public static readonly Method<EchoRequest, EchoResponse> ClientStream = Method<EchoRequest, EchoResponse>.From(Service.FindMethodByName("ClientStream"));
    public static readonly Method<EchoRequest, EchoResponse> BidiEcho = Method<EchoRequest, EchoResponse>.From(Service.FindMethodByName("BidiEcho"));
    public static readonly Method<EchoRequest, EchoResponse> Slow = Method<EchoRequest, EchoResponse>.From(Service.FindMethodByName("Slow"));
    public static readonly Method<EchoRequest, EchoResponse> NotImplemented = Method<EchoRequest, EchoResponse>.From(Service.FindMethodByName("NotImplemented"));
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> HealthCheck = Method<HealthCheckRequest, HealthCheckResponse>.From(HealthService.FindMethodByName("Check"));
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> HealthWatch = Method<HealthCheckRequest, HealthCheckResponse>.From(HealthService.FindMethodByName("Watch"));
}
