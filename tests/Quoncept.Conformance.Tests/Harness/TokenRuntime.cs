namespace Quoncept.Conformance.Tests.Harness;

/// <summary>
/// A second pair, with <c>DAPR_API_TOKEN</c> set for the runtime and the app, as <c>dapr run</c> sets it for both.
/// Its app also turns on the SDK's JSON remoting (<c>UseJsonSerialization</c>, what the services use), a
/// per-process actor setting that the shared pair keeps at the SDK's default.
/// </summary>
public sealed class TokenRuntime() : RuntimePair("conformance-token", apiToken: "conformance-" + Guid.NewGuid().ToString("N"), jsonRemoting: true);
