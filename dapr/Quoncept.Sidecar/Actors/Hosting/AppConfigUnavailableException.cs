namespace Quoncept.Sidecar.Actors.Hosting;

/// <summary>The app answered <c>GET /dapr/config</c> with a server error: worth asking again.</summary>
internal sealed class AppConfigUnavailableException(string message) : Exception(message);
