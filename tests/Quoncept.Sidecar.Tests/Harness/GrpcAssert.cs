using Google.Rpc;
using Grpc.Core;

namespace Quoncept.Sidecar.Tests.Harness;

/// <summary>Reads what a failed call carried: the gRPC status under the SDK's exception, and daprd's ErrorInfo.</summary>
internal static class GrpcAssert
{
    public static RpcException HasStatus(Exception error, StatusCode code)
    {
        var rpc = error as RpcException ?? error.InnerException as RpcException;
        Assert.True(rpc is not null, $"expected a gRPC status under {error.GetType().Name}: {error}");
        Assert.True(rpc.StatusCode == code, $"expected {code}, got {rpc.StatusCode}: {rpc.Status.Detail}");
        return rpc;
    }

    /// <summary>
    /// The ErrorInfo in <c>grpc-status-details-bin</c>, read from the trailer: Dapr.Common 1.19's
    /// TryGetExtendedErrorInfo only maps type URL <c>Google.rpc.ErrorInfo</c> (capital G), while daprd, like any
    /// protobuf library, packs <c>type.googleapis.com/google.rpc.ErrorInfo</c>, so the SDK reports it as unknown.
    /// </summary>
    public static ErrorInfo ErrorInfo(Exception error)
    {
        var rpc = error as RpcException ?? error.InnerException as RpcException;
        Assert.NotNull(rpc);
        var trailer = rpc.Trailers.Get("grpc-status-details-bin");
        Assert.True(trailer is not null, "the status carries no grpc-status-details-bin");
        var status = Google.Rpc.Status.Parser.ParseFrom(trailer.ValueBytes);
        Assert.Equal((int)rpc.StatusCode, status.Code);
        var detail = Assert.Single(status.Details, d => d.Is(Google.Rpc.ErrorInfo.Descriptor));
        var info = detail.Unpack<ErrorInfo>();
        Assert.Equal("dapr.io", info.Domain);
        return info;
    }
}
