namespace Quoncept.Grpc;

/// <summary>The response stream a server-streaming or duplex handler writes to.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}
