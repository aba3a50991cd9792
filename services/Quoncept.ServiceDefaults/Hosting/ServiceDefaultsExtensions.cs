using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>
/// What every Quoncept service does the same way: console logging, health endpoints,
/// OpenTelemetry tracing (W3C traceparent in and out), the sidecar client and the event publisher,
/// and start-up data files loaded with a clear error and a timing.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Sidecar wait at start-up; "Quoncept:Dapr:SidecarWaitTimeout" overrides it.</summary>
    public static readonly TimeSpan DefaultSidecarWait = TimeSpan.FromSeconds(60);

    /// <summary>Process exit code when a data file is unusable (sysexits.h EX_CONFIG).</summary>
    public const int DataFileExitCode = 78;

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        // Per-request lines would drown the universe's own logs; "Logging:LogLevel:..." can lower these again.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Services.AddHealthChecks();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventPublisher>();
        builder.Services.AddDaprClient();
        builder.Services.AddDaprSidecarWait(ReadTimeSpan(builder.Configuration, "Quoncept:Dapr:SidecarWaitTimeout", DefaultSidecarWait));
        builder.Services.AddQuonceptTracing(builder.Configuration, serviceName);
        return builder;
    }

    /// <summary>
    /// Server span names and tags, GET /health/live (process up), /health/ready (health checks pass), and GET /dapr/subscribe
    /// (the app's topic subscriptions, declared with WithTopic on their endpoints; may be none).
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseServerSpanTags();
        app.MapHealthChecks("/health/ready");
        app.MapGet("/health/live", () => Results.Text("ok"));
        app.MapSubscribeHandler();
        return app;
    }

    /// <summary>
    /// Loads a data file (path from <paramref name="configKey"/>, else <paramref name="defaultFile"/> beside the
    /// binaries), logs its size and load time, and registers the result as a singleton.
    /// A bad file stops the process with exit code <see cref="DataFileExitCode"/> and the
    /// <see cref="DataFiles.DataFileException"/> message (file, line, field) on stderr.
    /// </summary>
    public static T AddDataFile<T>(this WebApplicationBuilder builder, string configKey, string defaultFile, Func<string, T> load, Func<T, int> count)
        where T : class
    {
        var path = builder.Configuration[configKey] ?? Path.Combine(AppContext.BaseDirectory, "data", defaultFile);
        var stopwatch = Stopwatch.StartNew();
        T loaded;
        try
        {
            loaded = load(path);
        }
        catch (DataFiles.DataFileException e)
        {
            // A configuration error, not a crash: one line saying what to fix, exit code 78 (EX_CONFIG).
            Console.Error.WriteLine($"error: cannot start with this data file ({configKey}): {e.Message}");
            Environment.Exit(DataFileExitCode);
            throw;
        }

        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
        loggers.CreateLogger("Quoncept.DataFiles").LogInformation("Loaded {Count} rows from {Path} in {Milliseconds:F1} ms", count(loaded), path, elapsed);
        builder.Services.AddSingleton(loaded);
        return loaded;
    }

    internal static TimeSpan ReadTimeSpan(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"Configuration '{key}' is '{text}'; write a positive TimeSpan such as 00:00:30.");
    }
}
