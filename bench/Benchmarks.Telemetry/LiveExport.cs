using Azure.Monitor.OpenTelemetry.Exporter;
using Benchmarks.Core.Live;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Benchmarks.Telemetry;

/// <summary>Where a process exports its runs live; all off by default.</summary>
/// <param name="PrometheusPort">Serve a Prometheus scrape endpoint (/metrics) on this port, every interface.</param>
/// <param name="OtlpEndpoint">Push OTLP metrics there (gRPC on 4317, or http/protobuf as OTEL_EXPORTER_OTLP_PROTOCOL says); its headers come from OTEL_EXPORTER_OTLP_HEADERS, never from the command line.</param>
/// <param name="AzureMonitor">Push to Azure Monitor (Application Insights) with the connection string in APPLICATIONINSIGHTS_CONNECTION_STRING.</param>
public sealed record LiveExportOptions(int? PrometheusPort, Uri? OtlpEndpoint, bool AzureMonitor)
{
    /// <summary>How often the push exporters (OTLP, Azure Monitor) send: once per interval the recorder takes.</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(1);

    public bool Any => PrometheusPort is not null || OtlpEndpoint is not null || AzureMonitor;
}

/// <summary>
/// The OpenTelemetry SDK subscribed to the harness's instruments (<see cref="LiveInstruments"/>) with the exporters
/// asked for. Cumulative temporality throughout (what Prometheus needs; OTLP backends take it too), and the latency
/// histogram's fixed buckets, so the series of several agents add up exactly. Disposing flushes the push exporters.
/// </summary>
public sealed class LiveExport : IDisposable
{
    public const string AzureMonitorVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    private readonly MeterProvider _provider;

    private LiveExport(MeterProvider provider, LiveMetrics metrics, string description)
    {
        _provider = provider;
        Metrics = metrics;
        Description = description;
    }

    /// <summary>Where the metrics go, for the console: endpoints, never credentials.</summary>
    public string Description { get; }

    /// <summary>What the runs record into.</summary>
    public LiveMetrics Metrics { get; }

    /// <summary>Starts the exporters; null when none is asked for.</summary>
    /// <exception cref="LiveExportException">An exporter cannot start (the port is taken, the Azure Monitor connection string is missing).</exception>
    public static LiveExport? Start(LiveExportOptions options, string serviceVersion)
    {
        if (!options.Any)
        {
            return null;
        }

        if (options.AzureMonitor && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(AzureMonitorVariable)))
        {
            throw new LiveExportException($"--azure-monitor needs the Application Insights connection string in {AzureMonitorVariable}");
        }

        var builder = Instruments(Sdk.CreateMeterProviderBuilder(), serviceVersion);
        if (options.PrometheusPort is { } port)
        {
            builder.AddPrometheusHttpListener(o =>
            {
                o.Port = port;
                // Every interface: a Prometheus beside the agents (a pod, a VM) scrapes it from another host. The options
                // take a host name only ("+" is not one), so the listener's prefix is replaced once it is made.
                o.ConfigureHttpListener = (_, listener) =>
                {
                    listener.Prefixes.Clear();
                    listener.Prefixes.Add($"http://+:{port}/");
                };
                o.ScrapeEndpointPath = "/metrics";
                // Each scrape sees the latest second, not a copy up to 300 ms old.
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            });
        }

        if (options.OtlpEndpoint is { } endpoint)
        {
            builder.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = endpoint;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.PushInterval.TotalMilliseconds;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            });
        }

        if (options.AzureMonitor)
        {
            builder.AddAzureMonitorMetricExporter(o => o.ConnectionString = Environment.GetEnvironmentVariable(AzureMonitorVariable));
        }

        var metrics = new LiveMetrics();
        try
        {
            var sinks = new List<string>();
            if (options.PrometheusPort is { } p)
            {
                sinks.Add($"Prometheus scrape endpoint http://{Environment.MachineName}:{p}/metrics");
            }

            if (options.OtlpEndpoint is { } o)
            {
                sinks.Add($"OTLP to {o.GetLeftPart(UriPartial.Authority)}");
            }

            if (options.AzureMonitor)
            {
                sinks.Add("Azure Monitor");
            }

            return new LiveExport(builder.Build(), metrics, string.Join(", ", sinks));
        }
        catch (Exception e) when (e is System.Net.HttpListenerException or InvalidOperationException)
        {
            metrics.Dispose();
            throw new LiveExportException(options.PrometheusPort is { } taken
                ? $"--metrics-port {taken}: cannot listen there ({e.Message}); pick a free port"
                : $"the live export did not start: {e.Message}");
        }
    }

    /// <summary>
    /// The harness's meter and views on <paramref name="builder"/>: the one place the exporters' shape is set, used by
    /// <see cref="Start"/> and by tests that attach their own reader (the in-memory exporter).
    /// </summary>
    public static MeterProviderBuilder Instruments(MeterProviderBuilder builder, string serviceVersion) =>
        builder
            .SetResourceBuilder(ResourceBuilder.CreateDefault()
                .AddService("bench", serviceVersion: serviceVersion, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .AddMeter(LiveInstruments.MeterName)
            // The instrument advises these buckets; the view makes them explicit for exporters that ignore advice,
            // and allows the 187 buckets (more than the SDK's default limit on an explicit histogram's size is not needed).
            .AddView(LiveInstruments.Duration, new ExplicitBucketHistogramConfiguration { Boundaries = [.. LiveInstruments.LatencyBuckets] });

    public void Dispose()
    {
        _provider.ForceFlush(5000);
        _provider.Dispose();
        Metrics.Dispose();
    }
}

/// <summary>A live exporter could not start: a user's choice (a port, a missing setting), said without a trace.</summary>
public sealed class LiveExportException(string message) : Exception(message);
