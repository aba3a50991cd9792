namespace Quoncept.Sidecar.Runner;

/// <summary>daprd's log levels: debug, info, warn, error, fatal.</summary>
internal static class LogLevels
{
    public static LogLevel Parse(string text) => text.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "fatal" => LogLevel.Critical,
        _ => throw new CommandLineException($"log level '{text}' is not one of debug, info, warn, error, fatal"),
    };
}
