using System.Security.Cryptography;
using System.Text;

namespace Quoncept.Sidecar.Hosting;

/// <summary>
/// Dapr API token authentication (https://docs.dapr.io/operations/security/api-token/): when the runtime's
/// environment has <c>DAPR_API_TOKEN</c>, every call to the HTTP and gRPC APIs must carry it in
/// <c>dapr-api-token</c>. Apps started from a run file get the same variable, so the SDKs send it.
/// </summary>
internal static class ApiToken
{
    public const string Header = "dapr-api-token";
    public const string EnvironmentVariable = "DAPR_API_TOKEN";

    /// <summary>The token calls into apps carry (<see cref="Apps.AppApiTokenHandler"/>), daprd's variable for it.</summary>
    public const string AppEnvironmentVariable = "APP_API_TOKEN";

    /// <summary>The configured token, or null when the variable is unset or empty (no authentication, as with daprd).</summary>
    public static string? FromEnvironment() => Read(EnvironmentVariable);

    /// <summary>The app API token, or null when <c>APP_API_TOKEN</c> is unset or empty (calls into apps carry none).</summary>
    public static string? AppTokenFromEnvironment() => Read(AppEnvironmentVariable);

    private static string? Read(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } token ? token : null;

    /// <summary>Compares in constant time, so the answer's timing does not reveal how much of a guess was right.</summary>
    public static bool Matches(string? given, string token) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
}
