using System.Diagnostics;
using Quoncept.Sidecar.State;

namespace Quoncept.Sidecar.Metrics;

/// <summary>
/// Times every operation of a state store component (<c>db.client.operation.duration</c>, tagged with the
/// component's type and name), whatever calls it: the state API, actor state, reminders. Wrapped around
/// each store as the registry loads it, so a new store type is measured without code of its own.
/// </summary>
internal sealed class MeteredStateStore(IStateStore inner, string componentType) : IStateStore
{
    // "state.sqlite" → "sqlite", as db.system.name names the database.
    private readonly string _system = componentType.StartsWith("state.", StringComparison.Ordinal) ? componentType["state.".Length..] : componentType;

    public string Name => inner.Name;

    public bool IsActorStateStore => inner.IsActorStateStore;

    public ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) =>
        Timed("get", () => inner.GetAsync(key, cancellationToken));

    public ValueTask<IReadOnlyList<StateEntry?>> GetBulkAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        Timed("bulk_get", () => inner.GetBulkAsync(keys, cancellationToken));

    public ValueTask<string?> ApplyAsync(StateOperation operation, CancellationToken cancellationToken) =>
        Timed(operation.Kind == StateOperationKind.Delete ? "delete" : "set", () => inner.ApplyAsync(operation, cancellationToken));

    public async ValueTask TransactAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken) =>
        await Timed("transaction", async () =>
        {
            await inner.TransactAsync(operations, cancellationToken);
            return true;
        });

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async ValueTask<T> Timed<T>(string operation, Func<ValueTask<T>> action)
    {
        var start = Stopwatch.GetTimestamp();
        string? error = null;
        try
        {
            return await action();
        }
        catch (Exception e)
        {
            error = e.GetType().Name;
            throw;
        }
        finally
        {
            RuntimeMetrics.StateOperation(_system, inner.Name, operation, start, error);
        }
    }
}
