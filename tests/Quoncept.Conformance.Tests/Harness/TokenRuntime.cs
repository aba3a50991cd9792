namespace Quoncept.Conformance.Tests.Harness;

/// <summary>
/// A second pair, with <c>DAPR_API_TOKEN</c> (calls to the runtime) and <c>APP_API_TOKEN</c> (the runtime's calls into
/// the app, checked by Dapr.AspNetCore's <c>AddDapr</c> authentication) set for both processes, as a deployment sets
/// them. Its app is also configured as the services configure theirs, with actor settings that hold for a whole
/// process and that the shared pair keeps at the SDK's defaults: JSON remoting (<c>UseJsonSerialization</c>) and
/// reminders in partitions (<c>RemindersStoragePartitions</c>).
/// </summary>
public sealed class TokenRuntime() : RuntimePair("conformance-token",
    apiToken: "dapr-" + Guid.NewGuid().ToString("N"), appApiToken: "app-" + Guid.NewGuid().ToString("N"), jsonRemoting: true, reminderPartitions: 4);
