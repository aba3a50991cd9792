namespace Quoncept.Dapr;

/// <summary>Base type of every error this library raises about the Dapr sidecar or an app behind it.</summary>
public class DaprException : Exception
{
    public DaprException(string message) : base(message) { }

    public DaprException(string message, Exception? innerException) : base(message, innerException) { }
}
