using Grpc.Core;
using Quoncept.Testing.V1;

namespace Quoncept.Benchmarks.Fanout;

/// <summary>The gRPC subscriber: its queue's messages written as the gateway writes, buffered while more are queued.</summary>
internal sealed class GrpcFanout : FanoutService.FanoutServiceBase
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public override async Task Subscribe(EchoRequest request, IServerStreamWriter<EchoResponse> responseStream, ServerCallContext context)
    {
        var queue = new FanoutSubscriber();
        FanoutServer.Subscribers[queue] = true;
        try
        {
            while (await queue.WaitAsync(context.CancellationToken).ConfigureAwait(false))
            {
                while (queue.TryTake(out var broadcast))
                {
                    responseStream.WriteOptions = queue.Queued > 0 ? Buffered : null;
                    await responseStream.WriteAsync(broadcast.Message).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
        finally
        {
            FanoutServer.Subscribers.TryRemove(queue, out _);
        }
    }
}
