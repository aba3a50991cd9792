using Microsoft.Extensions.Options;

namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>
/// How a service that cannot start says so: one line on stderr ("error: ..."), exit code
/// <see cref="ServiceDefaultsExtensions.ConfigurationExitCode"/>. A person reads the line and fixes
/// the setting it names; a stack trace would only hide it.
/// </summary>
public static class StartupError
{
    public static void Exit(string message)
    {
        Console.Error.WriteLine("error: " + message);
        Console.Error.Flush();
        Environment.Exit(ServiceDefaultsExtensions.ConfigurationExitCode);
    }

    public static void Exit(Exception error) => Exit(Describe(error));

    /// <summary>
    /// The message that names the problem: every failed option check, else the outermost message
    /// (it names the setting, e.g. "Failed to convert configuration value at 'Quoncept:Sessions:GracePeriod'...").
    /// </summary>
    public static string Describe(Exception error) => error switch
    {
        OptionsValidationException validation => string.Join("; ", validation.Failures),
        AggregateException aggregate => string.Join("; ", aggregate.InnerExceptions.Select(Describe).Distinct(StringComparer.Ordinal)),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Describe(inner),
        _ => error.Message,
    };
}
