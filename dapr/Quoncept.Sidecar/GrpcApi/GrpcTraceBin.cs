using System.Diagnostics;

namespace Quoncept.Sidecar.GrpcApi;

/// <summary>
/// The binary trace context some gRPC clients send as <c>grpc-trace-bin</c> (OpenCensus' format, which
/// daprd reads beside <c>traceparent</c>): version 0, then field 0 = 16-byte trace id, field 1 = 8-byte
/// span id, field 2 = 1 byte of trace options (bit 0: sampled). 29 bytes in all.
/// </summary>
internal static class GrpcTraceBin
{
    public const string Header = "grpc-trace-bin";
    private const int Length = 29;

    public static bool TryParse(ReadOnlySpan<byte> value, out ActivityContext context)
    {
        context = default;
        if (value.Length < Length || value[0] != 0 || value[1] != 0 || value[18] != 1 || value[27] != 2)
        {
            return false;
        }
        var traceId = value.Slice(2, 16);
        var spanId = value.Slice(19, 8);
        if (traceId.IndexOfAnyExcept((byte)0) < 0 || spanId.IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }
        var flags = (value[28] & 1) == 1 ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        context = new ActivityContext(ActivityTraceId.CreateFromBytes(traceId), ActivitySpanId.CreateFromBytes(spanId), flags, isRemote: true);
        return true;
    }
}
