namespace Quoncept.Conformance.Tests.Harness;

/// <summary>
/// A second pair, with <c>DAPR_API_TOKEN</c> (calls to the runtime) and <c>APP_API_TOKEN</c> (the runtime's calls into
/// the app, checked by Dapr.AspNetCore's <c>AddDapr</c> authentication) set for both processes, as a deployment sets
/// them. Its app also turns on the SDK's JSON remoting (<c>UseJsonSerialization</c>, what the services use), a
/// per-process actor setting that the shared pair keeps at the SDK's default.
/// </summary>
public sealed class TokenRuntime() : RuntimePair("conformance-token",
    apiToken: "dapr-" + Guid.NewGuid().ToString("N"), appApiToken: "app-" + Guid.NewGuid().ToString("N"), jsonRemoting: true);
