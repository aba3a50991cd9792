using System.Buffers;
using System.IO.Pipelines;

namespace Quoncept.Grpc;

/// <summary>
/// Coalesces the frames of a stream: writers append frames to an in-memory pipe and return at
/// once (bounded: past 256 KiB unsent they wait); one pump sends whatever has accumulated as a
/// single write + flush. Under load many messages share one DATA frame and one flush; when idle
/// each message still goes out immediately.
/// </summary>
internal sealed class FrameBatcher
{
    private readonly Pipe _pipe = new(new PipeOptions(
        pauseWriterThreshold: 256 * 1024,
        resumeWriterThreshold: 128 * 1024,
        minimumSegmentSize: 4096,
        useSynchronizationContext: false));

    private readonly Func<ReadOnlySequence<byte>, CancellationToken, ValueTask> _sendBatch;
    private readonly CancellationToken _token;
    private Task? _pump;
    private Exception? _failure;

    public FrameBatcher(Func<ReadOnlySequence<byte>, CancellationToken, ValueTask> sendBatch, CancellationToken token)
    {
        _sendBatch = sendBatch;
        _token = token;
    }

    /// <summary>Where frames are written; call <see cref="CommitAsync"/> after each.</summary>
    public IBufferWriter<byte> Writer => _pipe.Writer;

    /// <summary>Hands the written frames to the pump; waits only when too much is unsent.</summary>
    public async ValueTask CommitAsync()
    {
        _pump ??= PumpAsync();
        var result = await _pipe.Writer.FlushAsync(_token).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw _failure ?? new IOException("The stream is closed.");
        }
    }

    /// <summary>Sends everything still buffered, then stops the pump. Throws what the pump hit.</summary>
    public async Task CompleteAsync()
    {
        await _pipe.Writer.CompleteAsync().ConfigureAwait(false);
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(false);
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                var result = await _pipe.Reader.ReadAsync(_token).ConfigureAwait(false);
                if (!result.Buffer.IsEmpty)
                {
                    await _sendBatch(result.Buffer, _token).ConfigureAwait(false);
                }

                _pipe.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            await _pipe.Reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _failure = ex;
            await _pipe.Reader.CompleteAsync(ex).ConfigureAwait(false);
            throw;
        }
    }
}
