namespace Quoncept.Grpc;

/// <summary>Client channel options, mirroring Grpc.Net.Client's.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>An HttpClient to send calls with (its Timeout applies to whole calls, streams included).</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>A handler to send calls with, e.g. a SocketsHttpHandler with custom TLS validation.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Dispose HttpClient/HttpHandler with the channel.</summary>
    public bool DisposeHttpClient { get; set; }

    /// <summary>Largest response message accepted (bytes); larger → RESOURCE_EXHAUSTED. Default 4 MiB; null = no limit.</summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Largest request message sent (bytes); larger → RESOURCE_EXHAUSTED. Default 4 MiB; null = no limit.</summary>
    public int? MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>"gzip" to compress every request message; null sends them uncompressed. Per call: metadata "grpc-internal-encoding-request".</summary>
    public string? RequestCompressionAlgorithm { get; set; }
}
