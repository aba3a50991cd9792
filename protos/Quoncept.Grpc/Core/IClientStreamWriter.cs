namespace Quoncept.Grpc;

/// <summary>The request stream of a client-streaming or duplex call.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Half-closes the request stream: no more messages will be sent.</summary>
    Task CompleteAsync();
}
