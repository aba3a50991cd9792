using System.Threading.Channels;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Quoncept.Grpc;

/// <summary>
/// grpc.health.v1.Health (https://github.com/grpc/grpc/blob/master/doc/health-checking.md).
/// The overall server ("") starts SERVING; services report with SetStatus.
/// </summary>
public sealed class HealthServiceImpl
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [""] = ServingStatus.Serving };
    private readonly Dictionary<string, List<Channel<ServingStatus>>> _watchers = new(StringComparer.Ordinal);

    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            _statuses[service] = status;
            Notify(service, status);
        }
    }

    public void ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            if (_statuses.Remove(service))
            {
                Notify(service, ServingStatus.ServiceUnknown);
            }
        }
    }

    /// <summary>Unary Check: the status, or NOT_FOUND for a service never reported.</summary>
    public Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        lock (_gate)
        {
            if (_statuses.TryGetValue(request.Service, out var status))
            {
                return Task.FromResult(new HealthCheckResponse { Status = status });
            }
        }

        throw new RpcException(new Status(StatusCode.NotFound, $"Service '{request.Service}' is unknown."));
    }

    /// <summary>Server-streaming Watch: the current status at once (SERVICE_UNKNOWN if unknown), then every change.</summary>
    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var updates = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            updates.Writer.TryWrite(_statuses.TryGetValue(request.Service, out var current) ? current : ServingStatus.ServiceUnknown);
            if (!_watchers.TryGetValue(request.Service, out var list))
            {
                _watchers[request.Service] = list = [];
            }

            list.Add(updates);
        }

        try
        {
            ServingStatus? last = null;
            await foreach (var status in updates.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                if (status != last)
                {
                    last = status;
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = status }).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers[request.Service].Remove(updates);
            }
        }
    }

    private void Notify(string service, ServingStatus status)
    {
        if (_watchers.TryGetValue(service, out var list))
        {
            foreach (var watcher in list)
            {
                watcher.Writer.TryWrite(status);
            }
        }
    }
}
