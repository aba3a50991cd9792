using System.Diagnostics;
using Dapr.Actors.Client;
using Dapr.Actors.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;

namespace Quoncept.ServiceDefaults.Hosting;

/// <summary>
/// What every Quoncept service does the same way: console logging, health endpoints, tracing, metrics,
/// the Dapr client and the event publisher, start-up data files, and settings checked at start.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Process exit code when a setting or data file is unusable (sysexits.h EX_CONFIG).</summary>
    public const int ConfigurationExitCode = 78;

    /// <param name="waitForSidecar">
    /// Start only once the sidecar answers (at most "Quoncept:Dapr:SidecarWaitTimeout"). An app that can
    /// do nothing useful without it waits; one that serves clients regardless (the gateway) does not,
    /// and says so through its readiness instead.
    /// </param>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName, bool waitForSidecar = true)
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
        builder.Services.AddDaprClient(dapr => dapr.UseJsonSerializationOptions(WireJson.Options));
        // Before AddActors, whose TryAdd then keeps it: actors and callers alike get the JSON proxies.
        builder.Services.AddSingleton<IActorProxyFactory, JsonActorProxyFactory>();
        if (waitForSidecar)
        {
            builder.Services.AddOptions<SidecarWaitOptions>().Bind(builder.Configuration.GetSection(SidecarWaitOptions.Section))
                .Validate(o => o.SidecarWaitTimeout > TimeSpan.Zero, $"{SidecarWaitOptions.Section}:SidecarWaitTimeout must be a positive TimeSpan such as 00:01:00")
                .ValidateOnStart();
            builder.Services.AddHostedService<SidecarWait>();
        }

        builder.AddQuonceptTracing(serviceName);
        builder.AddQuonceptMetrics();
        return builder;
    }

    /// <summary>
    /// The actor conventions of the universe: remoting proxies with JSON bodies (the contracts are
    /// records, which the SDK's default DataContract serializer cannot read) and <see cref="WireJson"/>
    /// for arguments, answers and state, in the runtime and in every proxy it creates.
    /// </summary>
    public static ActorRuntimeOptions UseWireJson(this ActorRuntimeOptions options)
    {
        options.UseJsonSerialization = true;
        options.JsonSerializerOptions = WireJson.Options;
        return options;
    }

    /// <summary>GET /health/live (process up), /health/ready (health checks pass), GET /metrics, and GET /dapr/subscribe.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.MapQuonceptMetrics();
        app.MapHealthChecks("/health/ready");
        app.MapGet("/health/live", () => Results.Text("ok"));
        app.MapSubscribeHandler();
        return app;
    }

    /// <summary>
    /// Runs the service. A start that fails (a setting that does not validate, a port in use) ends
    /// the process with one line on stderr naming the problem and exit code
    /// <see cref="ConfigurationExitCode"/>, instead of a stack trace.
    /// </summary>
    public static void RunService(this WebApplication app)
    {
        try
        {
            // The checks ValidateOnStart registered, run before the host starts so that a bad setting is
            // this one line and not also the host's "failed to start" log with a stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StartupError.Exit(e);
        }

        app.WaitForShutdownAsync().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Loads a data file (path from <paramref name="configKey"/>, else <paramref name="defaultFile"/> beside the
    /// binaries), logs its size and load time, and registers the result as a singleton.
    /// A bad file stops the process with exit code <see cref="ConfigurationExitCode"/> and the
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
            StartupError.Exit($"cannot start with this data file ({configKey}): {e.Message}");
            throw;
        }

        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
        loggers.CreateLogger("Quoncept.DataFiles").LogInformation("Loaded {Count} rows from {Path} in {Milliseconds:F1} ms", count(loaded), path, elapsed);
        builder.Services.AddSingleton(loaded);
        return loaded;
    }
}
