using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Quoncept.Grpc.Tests;

public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dapr.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Dapr.sln not found above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<string> DescriptorSetPath = new(() =>
    {
        var set = new FileDescriptorSet();
        foreach (var file in new[] { global::Grpc.Health.V1.HealthReflection.Descriptor, Quoncept.Testing.V1.InteropReflection.Descriptor })
        {
            set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
        }

        var path = Path.Combine(Path.GetTempPath(), $"quoncept-grpc-interop-{Environment.ProcessId}.pb");
        File.WriteAllBytes(path, set.ToByteArray());
        return path;
    });

    public static string Root => RootPath.Value;

    public static string GrpcioScripts => Path.Combine(Root, "tests", "Quoncept.Grpc.Tests", "Interop", "grpcio");

    public static string NodeInterop => Path.Combine(Root, "tests", "node", "grpc-interop");

    /// <summary>A FileDescriptorSet of the test and health protos, written from the generated C# descriptors.</summary>
    public static string DescriptorSet => DescriptorSetPath.Value;
}
