using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Quoncept.Universe.Tests.Interop;

/// <summary>
/// A FileDescriptorSet of quoncept.v1 and grpc.health.v1, written from the generated C#
/// descriptors (dependencies first), from which the Python and JS peers build their messages:
/// the .proto files stay the only source of the contract.
/// </summary>
internal static class GatewayDescriptors
{
    private static readonly Lazy<string> SetPath = new(() =>
    {
        var files = new List<FileDescriptor>();
        void Add(FileDescriptor file)
        {
            if (files.Contains(file)) return;
            foreach (var dependency in file.Dependencies) Add(dependency);
            files.Add(file);
        }

        Add(V1.GatewayReflection.Descriptor);
        Add(global::Grpc.Health.V1.HealthReflection.Descriptor);
        var set = new FileDescriptorSet();
        set.File.AddRange(files.Select(f => FileDescriptorProto.Parser.ParseFrom(f.SerializedData)));
        var path = Path.Combine(Path.GetTempPath(), $"quoncept-gateway-{Environment.ProcessId}.pb");
        File.WriteAllBytes(path, set.ToByteArray());
        return path;
    });

    public static string DescriptorSet => SetPath.Value;
}
