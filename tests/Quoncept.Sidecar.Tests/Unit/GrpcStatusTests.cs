using System.Diagnostics;
using Google.Rpc;
using Grpc.Core;
using Quoncept.Sidecar.Errors;
using Quoncept.Sidecar.GrpcApi;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Tests.Unit;

/// <summary>The runtime's errors as gRPC statuses, byte for byte what a client reads.</summary>
public sealed class GrpcStatusTests
{
    private static readonly Dictionary<string, Func<DaprApiException>> Errors = new()
    {
        ["state store not found"] = () => DaprErrors.StateStoreNotFound("s"),
        ["no state store"] = () => DaprErrors.StateStoresNotConfigured("s"),
        ["illegal key"] = () => DaprErrors.IllegalStateKey("a||b"),
        ["pubsub not found"] = () => DaprErrors.PubSubNotFound("p"),
        ["no pubsub"] = () => DaprErrors.PubSubNotConfigured("p"),
        ["empty topic"] = () => DaprErrors.TopicEmpty("p"),
        ["malformed"] = () => DaprErrors.Malformed("bad"),
        ["unknown app"] = () => DaprErrors.AppNotFound("ghost"),
        ["no app id"] = DaprErrors.DirectInvokeNoAppId,
        ["bad transaction operation"] = () => DaprErrors.UnsupportedStateOperation("merge"),
        ["etag mismatch"] = () => new StateETagMismatchException("app||k"),
        ["bad etag"] = () => new StateETagInvalidException("app||k", "x"),
    };

    [Theory]
    [InlineData("state store not found", StatusCode.InvalidArgument, "DAPR_STATE_NOT_FOUND")]
    [InlineData("no state store", StatusCode.FailedPrecondition, "DAPR_STATE_NOT_CONFIGURED")]
    [InlineData("illegal key", StatusCode.InvalidArgument, "DAPR_STATE_ILLEGAL_KEY")]
    [InlineData("pubsub not found", StatusCode.InvalidArgument, "DAPR_PUBSUB_NOT_FOUND")]
    [InlineData("no pubsub", StatusCode.FailedPrecondition, "DAPR_PUBSUB_NOT_CONFIGURED")]
    [InlineData("empty topic", StatusCode.InvalidArgument, "DAPR_PUBSUB_TOPIC_NAME_EMPTY")]
    [InlineData("malformed", StatusCode.InvalidArgument, "ERR_MALFORMED_REQUEST")]
    [InlineData("unknown app", StatusCode.Internal, "ERR_DIRECT_INVOKE")]
    [InlineData("no app id", StatusCode.NotFound, "ERR_DIRECT_INVOKE")]
    [InlineData("bad transaction operation", StatusCode.Unimplemented, "ERR_NOT_SUPPORTED_STATE_OPERATION")]
    [InlineData("etag mismatch", StatusCode.Aborted, "ERR_STATE_ETAG_MISMATCH")]
    [InlineData("bad etag", StatusCode.InvalidArgument, "ERR_STATE_ETAG_INVALID")]
    public void From_DaprError_DaprdCodeMessageAndErrorInfoReason(string error, StatusCode code, string reason)
    {
        var dapr = Errors[error]();
        var rpc = GrpcErrors.From(dapr);

        Assert.Equal(code, rpc.StatusCode);
        Assert.Equal(dapr.Message, rpc.Status.Detail);
        var info = Details(rpc);
        Assert.Equal(reason, info.Reason);
        Assert.Equal("dapr.io", info.Domain);
    }

    [Theory]
    [InlineData(404, StatusCode.NotFound, "Not Found")]
    [InlineData(500, StatusCode.Unknown, "Internal Server Error")]
    [InlineData(400, StatusCode.Internal, "Bad Request")]
    [InlineData(401, StatusCode.Unauthenticated, "Unauthorized")]
    [InlineData(409, StatusCode.AlreadyExists, "Conflict")]
    [InlineData(503, StatusCode.Unavailable, "Service Unavailable")]
    [InlineData(418, StatusCode.Unknown, "I'm a teapot")]
    public void FromHttpStatus_DaprdMapping_ReasonPhraseAndCode(int http, StatusCode code, string phrase)
    {
        var rpc = GrpcErrors.FromHttpStatus(http, "short");

        Assert.Equal(code, rpc.StatusCode);
        Assert.Equal(phrase, rpc.Status.Detail);
        var info = Details(rpc);
        Assert.Equal(phrase, info.Reason);
        Assert.Equal(http.ToString(System.Globalization.CultureInfo.InvariantCulture), info.Metadata["http.code"]);
        Assert.Equal("short", info.Metadata["http.error_message"]);
    }

    [Fact]
    public void FromHttpStatus_LongBody_KeepsFirst63Characters()
    {
        var info = Details(GrpcErrors.FromHttpStatus(500, new string('a', 63) + "bbb"));
        Assert.Equal(new string('a', 63), info.Metadata["http.error_message"]);
    }

    [Fact]
    public void GrpcTraceBin_WellFormed_TraceAndSpanAndSampledFlag()
    {
        byte[] value = [0, 0, .. Enumerable.Range(1, 16).Select(i => (byte)i), 1, .. Enumerable.Range(0xA1, 8).Select(i => (byte)i), 2, 1];

        Assert.True(GrpcTraceBin.TryParse(value, out var context));

        Assert.Equal("0102030405060708090a0b0c0d0e0f10", context.TraceId.ToHexString());
        Assert.Equal("a1a2a3a4a5a6a7a8", context.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.True(context.IsRemote);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 1 })]
    [InlineData(new byte[] { 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 1, 1, 2, 3, 4, 5, 6, 7, 8, 2, 1 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 2, 1 })]
    public void GrpcTraceBin_TruncatedWrongVersionOrZeroTrace_Rejected(byte[] value) =>
        Assert.False(GrpcTraceBin.TryParse(value, out _));

    private static ErrorInfo Details(RpcException rpc)
    {
        var status = Google.Rpc.Status.Parser.ParseFrom(rpc.Trailers.GetValueBytes(GrpcErrors.DetailsTrailer));
        Assert.Equal((int)rpc.StatusCode, status.Code);
        return Assert.Single(status.Details).Unpack<ErrorInfo>();
    }
}
