using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using Quoncept.Testing.V1;

namespace Quoncept.Grpc.Tests.Unit;

public sealed class MessageFramingTests
{
    [Fact]
    public void WriteHeader_Length_IsBigEndianAfterFlag()
    {
        var header = new byte[5];
        MessageFraming.WriteHeader(header, compressed: true, 0x01020304);
        Assert.Equal(new byte[] { 1, 1, 2, 3, 4 }, header);
    }

    [Fact]
    public void TryReadHeader_FourBytes_NeedsMore()
    {
        Assert.False(MessageFraming.TryReadHeader(new ReadOnlySequence<byte>(new byte[4]), out _, out _));
    }

    [Fact]
    public void TryReadHeader_SplitAcrossSegments_IsRead()
    {
        var first = new Segment(new byte[] { 0, 0, 0 });
        var last = first.Append(new byte[] { 1, 0, 9 });
        Assert.True(MessageFraming.TryReadHeader(new ReadOnlySequence<byte>(first, 0, last, 3), out var flag, out var length));
        Assert.Equal(0, flag);
        Assert.Equal(256u, length);
    }

    [Fact]
    public void ValidateHeader_OverLimit_IsResourceExhausted()
    {
        var ex = Assert.Throws<RpcException>(() => MessageFraming.ValidateHeader(0, 101, 100, null));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public void ValidateHeader_CompressedWithoutEncoding_IsInternal()
    {
        var ex = Assert.Throws<RpcException>(() => MessageFraming.ValidateHeader(1, 1, 100, "identity"));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public void ValidateHeader_FlagTwo_IsInternal()
    {
        Assert.Equal(StatusCode.Internal, Assert.Throws<RpcException>(() => MessageFraming.ValidateHeader(2, 1, 100, "gzip")).StatusCode);
    }

    [Fact]
    public void MessageWriter_Message_HasPrefixAndPayload()
    {
        var message = new EchoRequest { Message = "hi" };
        var output = new ArrayBufferWriter<byte>();
        MessageWriter.Write(output, message, 1000, gzip: false);
        Assert.Equal([0, 0, 0, 0, 4, .. message.ToByteArray()], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void MessageWriter_OverSendLimit_IsResourceExhausted()
    {
        var message = new EchoRequest { Payload = ByteString.CopyFrom(new byte[50]) };
        Assert.Equal(StatusCode.ResourceExhausted, Assert.Throws<RpcException>(() => MessageWriter.Write(new ArrayBufferWriter<byte>(), message, 10, gzip: false)).StatusCode);
    }

    [Fact]
    public async Task MessageReader_ByteByByte_ReadsEveryMessage()
    {
        var output = new ArrayBufferWriter<byte>();
        MessageWriter.Write(output, new EchoRequest { Message = "one" }, 1000, gzip: false);
        MessageWriter.Write(output, new EchoRequest { Message = "two" }, 1000, gzip: true);
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1000, "gzip");
        var feed = Task.Run(async () =>
        {
            foreach (var b in output.WrittenSpan.ToArray())
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }

            await pipe.Writer.CompleteAsync();
        });
        Assert.Equal("one", (await reader.ReadAsync(EchoRequest.Parser, CancellationToken.None))!.Message);
        Assert.Equal("two", (await reader.ReadAsync(EchoRequest.Parser, CancellationToken.None))!.Message);
        Assert.Null(await reader.ReadAsync(EchoRequest.Parser, CancellationToken.None));
        await feed;
    }

    [Fact]
    public async Task MessageReader_EndInsideFrame_IsInternal()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 9, 1, 2 });
        await pipe.Writer.CompleteAsync();
        var reader = new MessageReader(pipe.Reader, 1000, null);
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(EchoRequest.Parser, CancellationToken.None));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public void GzipDecompress_Bomb_IsResourceExhausted()
    {
        var compressed = GzipCompression.Compress(new byte[1_000_000]);
        var ex = Assert.Throws<RpcException>(() => GzipCompression.Decompress(new ReadOnlySequence<byte>(compressed), 10_000));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public Segment Append(byte[] data)
        {
            var next = new Segment(data) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
