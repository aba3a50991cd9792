using Quoncept.Grpc;
using Quoncept.V1;

namespace Quoncept.Client;

/// <summary>The quoncept.v1.Gateway methods, built from the .proto's descriptors.</summary>
internal static class GatewayMethods
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = GatewayReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("Gateway");

    public static readonly Method<CreateSessionRequest, CreateSessionResponse> CreateSession = Method<CreateSessionRequest, CreateSessionResponse>.From(Service.FindMethodByName("CreateSession"));
    public static readonly Method<ClientMessage, ServerMessage> Connect = Method<ClientMessage, ServerMessage>.From(Service.FindMethodByName("Connect"));
    public static readonly Method<GetCharacterRequest, Character> GetCharacter = Method<GetCharacterRequest, Character>.From(Service.FindMethodByName("GetCharacter"));
    public static readonly Method<GetSystemRequest, SystemInfo> GetSystem = Method<GetSystemRequest, SystemInfo>.From(Service.FindMethodByName("GetSystem"));
}
