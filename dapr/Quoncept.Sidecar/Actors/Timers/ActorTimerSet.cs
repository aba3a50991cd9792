namespace Quoncept.Sidecar.Actors.Timers;

/// <summary>The timers of one activation, by name; a new timer with a taken name replaces the old one.</summary>
internal sealed class ActorTimerSet
{
    private readonly Dictionary<string, ActorTimer> _timers = new(StringComparer.Ordinal);
    private bool _closed;

    public int Count
    {
        get
        {
            lock (_timers)
            {
                return _timers.Count;
            }
        }
    }

    /// <summary>Adds the timer and starts it; false when the activation is already gone.</summary>
    public bool Start(ActorTimer timer, TimeProvider time, Func<ActorTimer, CancellationToken, Task<bool>> fire)
    {
        lock (_timers)
        {
            if (_closed)
            {
                return false;
            }
            if (_timers.Remove(timer.Name, out var previous))
            {
                previous.Stop();
            }
            _timers[timer.Name] = timer;
        }
        _ = Task.Run(async () =>
        {
            await timer.RunAsync(time, fire);
            lock (_timers)
            {
                if (_timers.TryGetValue(timer.Name, out var current) && ReferenceEquals(current, timer))
                {
                    _timers.Remove(timer.Name);
                }
            }
        });
        return true;
    }

    public void Stop(string name)
    {
        lock (_timers)
        {
            if (_timers.Remove(name, out var timer))
            {
                timer.Stop();
            }
        }
    }

    /// <summary>Stops every timer for good (the activation ends).</summary>
    public void Close()
    {
        lock (_timers)
        {
            _closed = true;
            foreach (var timer in _timers.Values)
            {
                timer.Stop();
            }
            _timers.Clear();
        }
    }
}
