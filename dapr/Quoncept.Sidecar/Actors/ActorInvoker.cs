using Quoncept.Sidecar.Actors.Hosting;
using Quoncept.Sidecar.Actors.Turns;
using Quoncept.Sidecar.Metrics;

namespace Quoncept.Sidecar.Actors;

/// <summary>
/// Delivers calls to actors: finds the placed host, activates the actor there on its first call,
/// waits for the actor's turn, then calls the app. A call that meets a deactivating activation waits
/// until it is gone and tries again, so an actor is never active on two hosts at once.
/// </summary>
internal sealed class ActorInvoker(ActorHosts hosts, ActorActivations activations, TimeProvider time)
{
    /// <summary>
    /// How long a call waits for an actor type while apps are still announcing theirs, or while a host of the
    /// type that went away may come back (restarted by the supervisor): about what a .NET app takes to start
    /// again on a loaded machine after the first restart back-off.
    /// </summary>
    public static readonly TimeSpan PlacementWait = TimeSpan.FromSeconds(10);

    private const int MaxAttempts = 8;

    /// <summary>
    /// Calls the actor wherever it lives; the caller disposes the app's response. <paramref name="untilDelivered"/>
    /// cancels the call only until it reaches the app (placement, activation, the wait for the turn): a reminder
    /// removed before it fires never fires, but one that the app is running is not cut short, even when the actor
    /// removes it inside its own callback, as with daprd.
    /// </summary>
    public async Task<HttpResponseMessage> InvokeAsync(ActorCall call, CancellationToken cancellationToken, CancellationToken untilDelivered = default)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var response = await PlaceAndInvokeAsync(call, cancellationToken, untilDelivered);
            RuntimeMetrics.ActorCalled(call.Actor.Type, call.MethodPath, start,
                response.StatusCode == System.Net.HttpStatusCode.OK ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
        catch (Exception error)
        {
            RuntimeMetrics.ActorCalled(call.Actor.Type, call.MethodPath, start, error.GetType().Name);
            throw;
        }
    }

    private async Task<HttpResponseMessage> PlaceAndInvokeAsync(ActorCall call, CancellationToken cancellationToken, CancellationToken untilDelivered)
    {
        using var beforeDelivery = untilDelivered.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, untilDelivered) : null;
        var waiting = beforeDelivery?.Token ?? cancellationToken;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var host = hosts.Locate(call.Actor.Type, call.Actor.Id);
            if (host is null)
            {
                if (!await hosts.WaitForTypeAsync(call.Actor.Type, PlacementWait, waiting))
                {
                    throw ActorErrors.NoHost(call.Actor);
                }
                continue;
            }
            var actor = activations.GetOrActivate(call.Actor, host);
            if (!ReferenceEquals(actor.Host, host))
            {
                // Placement moved it: the old activation goes first.
                await activations.DeactivateAsync(actor, hosts.Find(actor.Host.HostId) is null ? DeactivationReason.HostGone : DeactivationReason.Rebalanced)
                    .WaitAsync(waiting);
                continue;
            }
            if (await InvokeOnAsync(actor, call, cancellationToken, waiting) is { } response)
            {
                return response;
            }
            await actor.Deactivated.WaitAsync(waiting);
        }
        throw ActorErrors.Invoke($"actor {call.Actor.Type}/{call.Actor.Id} kept moving between hosts; try again");
    }

    /// <summary>
    /// Calls this very activation (timers belong to one); null when it is being deactivated. <paramref name="turnWait"/>
    /// (default: <paramref name="cancellationToken"/>) is what cancels the wait for the actor's turn.
    /// </summary>
    public async Task<HttpResponseMessage?> InvokeOnAsync(ActiveActor actor, ActorCall call, CancellationToken cancellationToken, CancellationToken turnWait = default)
    {
        var reentrancyId = actor.Options.Reentrancy ? call.ReentrancyId ?? Guid.NewGuid().ToString() : null;
        TurnOutcome outcome;
        try
        {
            outcome = await actor.Turn.EnterAsync(reentrancyId, actor.Options.MaxStackDepth, turnWait.CanBeCanceled ? turnWait : cancellationToken);
        }
        catch (ActorTurnRejectedException rejected)
        {
            throw ActorErrors.Invoke(rejected.Message);
        }
        if (outcome == TurnOutcome.Closed)
        {
            return null;
        }
        try
        {
            actor.Touch(time.GetTimestamp());
            return await ActorAppChannel.InvokeAsync(actor.Host, call.Actor.Type, call.Actor.Id, call.MethodPath, call.Query,
                call.Body, call.ContentType, call.Headers, reentrancyId, cancellationToken);
        }
        catch (HttpRequestException error) when (error.HttpRequestError == HttpRequestError.ConnectionError)
        {
            // No connection (refused: the app died or is stopping): the call never reached the app, so it is safe to
            // place it again. A reset or an ended response after the request went out is not: the app may have run it,
            // so that one fails, as with daprd, and the caller decides whether to retry. That includes a request sent on
            // a connection the app closed at that instant (idle, or in the backlog of a listener it closed): SocketsHttpHandler
            // retries only some of those by itself.
            hosts.ReportUnreachable(actor.Host, error.Message);
            _ = activations.DeactivateAsync(actor, DeactivationReason.HostGone);
            return null;
        }
        catch (HttpRequestException error)
        {
            throw ActorErrors.Invoke($"error from actor service: {actor.Host.Instance} did not answer: {Describe(error)}", error);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw ActorErrors.Invoke($"error from actor service: {actor.Host.Instance} did not answer in time", error);
        }
        finally
        {
            actor.Touch(time.GetTimestamp());
            actor.Turn.Exit();
        }
    }

    /// <summary>daprd's rule for the app's answer: 200 is a result (also with X-DaprErrorResponseHeader), anything else an error.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string methodPath, CancellationToken cancellationToken)
    {
        if (response.StatusCode == System.Net.HttpStatusCode.OK)
        {
            return;
        }
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw ActorErrors.Invoke($"actor method not found: {methodPath}");
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw ActorErrors.Invoke($"error from actor service: ({(int)response.StatusCode}) {body}");
    }

    /// <summary>The failure and its causes, innermost last ("sending the request" alone does not say whether the app saw it).</summary>
    private static string Describe(Exception error)
    {
        var parts = new List<string> { error.Message };
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException) parts.Add(inner.Message);
        return string.Join(" <- ", parts.Distinct());
    }
}
