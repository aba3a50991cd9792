using System.IO.Compression;

namespace Quoncept.Grpc;

/// <summary>Server options, set with <c>services.AddGrpc(o => ...)</c>.</summary>
public sealed class GrpcServiceOptions
{
    /// <summary>Largest request message accepted (bytes); larger → RESOURCE_EXHAUSTED. Default 4 MiB; null = no limit.</summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Largest response message sent (bytes); larger → RESOURCE_EXHAUSTED. Default 4 MiB; null = no limit.</summary>
    public int? MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>When true, an unhandled exception's type and message reach the client in grpc-message.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>"gzip" to compress responses to clients that accept it; null (default) sends them uncompressed.</summary>
    public string? ResponseCompressionAlgorithm { get; set; }

    /// <summary>Kept for grpc-dotnet parity; gzip here always uses <see cref="CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel? ResponseCompressionLevel { get; set; }

    internal int ReceiveLimit => MaxReceiveMessageSize ?? int.MaxValue;

    internal int SendLimit => MaxSendMessageSize ?? int.MaxValue;
}
