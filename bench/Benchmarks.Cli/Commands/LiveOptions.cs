using System.CommandLine;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Running;
using Benchmarks.Telemetry;

namespace Benchmarks.Cli.Commands;

/// <summary>
/// The options of <c>bench run</c> that send its seconds elsewhere as they are taken: a Prometheus scrape endpoint,
/// OTLP, Azure Monitor. All off by default (nothing subscribes to the instruments, which then cost nothing).
/// </summary>
internal sealed class LiveOptions
{
    private readonly Option<int?> _port = new("--metrics-port") { Description = "serve the run's live metrics for Prometheus on this port (http://HOST:PORT/metrics, every interface)" };
    private readonly Option<string?> _otlp = new("--otlp-endpoint") { Description = "push the run's live metrics over OTLP to this collector (e.g. http://localhost:4317); headers from OTEL_EXPORTER_OTLP_HEADERS" };
    private readonly Option<bool> _azureMonitor = new("--azure-monitor") { Description = $"push the run's live metrics to Azure Monitor (connection string in {LiveExport.AzureMonitorVariable})" };
    private readonly Option<string?> _linger = new("--metrics-linger") { Description = "with --metrics-port: keep serving this long after the last run, so the last seconds are scraped (default 15s, a scrape interval)" };

    private static readonly TimeSpan DefaultLinger = TimeSpan.FromSeconds(15);

    public void AddTo(Command command)
    {
        command.Options.Add(_port);
        command.Options.Add(_otlp);
        command.Options.Add(_azureMonitor);
        command.Options.Add(_linger);
    }

    /// <summary>Starts what was asked for; null export when nothing was. A problem is the user's (exit 2), said in <paramref name="problem"/>.</summary>
    public (LiveExport? Export, TimeSpan Linger, string? Problem) Start(ParseResult parse)
    {
        var port = parse.GetValue(_port);
        if (port is < 1 or > 65535)
        {
            return (null, TimeSpan.Zero, $"--metrics-port {port}: a TCP port is 1–65535");
        }

        var linger = DefaultLinger;
        if (parse.GetValue(_linger) is { } lingerText && !Units.TryParseDuration(lingerText, out linger))
        {
            return (null, TimeSpan.Zero, $"--metrics-linger {lingerText}: not a duration (write e.g. 15s, 1m, 0s)");
        }

        Uri? otlp = null;
        if (parse.GetValue(_otlp) is { } endpoint && (!Uri.TryCreate(endpoint, UriKind.Absolute, out otlp) || otlp.Scheme is not ("http" or "https")))
        {
            return (null, TimeSpan.Zero, $"--otlp-endpoint {endpoint}: give the collector's URL, e.g. http://localhost:4317 (gRPC) or http://localhost:4318 with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
        }

        try
        {
            var export = LiveExport.Start(new LiveExportOptions(port, otlp, parse.GetValue(_azureMonitor)), EnvironmentProbe.HarnessVersion);
            return (export, port is null ? TimeSpan.Zero : linger, null);
        }
        catch (LiveExportException e)
        {
            return (null, TimeSpan.Zero, e.Message);
        }
    }
}
