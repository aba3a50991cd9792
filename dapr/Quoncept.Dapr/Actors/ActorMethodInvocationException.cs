using System.Net;

namespace Quoncept.Dapr.Actors;

/// <summary>An actor method failed on the host; <see cref="Exception.Message"/> carries the remote message.</summary>
public sealed class ActorMethodInvocationException : DaprApiException
{
    public ActorMethodInvocationException(
        string message, string errorCode, HttpStatusCode statusCode,
        string actorType, string actorId, string methodName, string? remoteExceptionType)
        : base(message, errorCode, statusCode)
    {
        ActorType = actorType;
        ActorId = actorId;
        MethodName = methodName;
        RemoteExceptionType = remoteExceptionType;
    }

    public string ActorType { get; }
    public string ActorId { get; }
    public string MethodName { get; }

    /// <summary>Full name of the exception the actor threw, when the host reported it (e.g. System.InvalidOperationException).</summary>
    public string? RemoteExceptionType { get; }
}
