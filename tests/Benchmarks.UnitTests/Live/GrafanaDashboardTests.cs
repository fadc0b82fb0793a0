using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Benchmarks.Core.Live;
using Benchmarks.Core.Stores;
using Benchmarks.Telemetry;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.UnitTests.Live;

/// <summary>
/// deploy/grafana's dashboard queries what the harness's Prometheus endpoint serves: every series and label in its
/// expressions is in a real scrape of <c>--metrics-port</c>, and every instrument has a panel.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    [GeneratedRegex(@"\bbench_[a-z0-9_]+")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"\bby \(([^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"^(\w+)(?:\{([^}]*)\})? ", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    [Fact]
    public async Task Every_query_of_the_dashboard_names_series_and_labels_the_endpoint_serves_and_every_instrument_is_shown()
    {
        var port = LocalServerProcess.FreeLoopbackPort();
        string scrape;
        using (var export = LiveExport.Start(new LiveExportOptions(port, null, false), "test")!)
        {
            LiveExportTests.FeedOneInterval(export.Metrics, "dashboard", agent: 0);
            using var http = new HttpClient();
            scrape = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics"), TestContext.Current.CancellationToken);
        }

        var served = SampleLine().Matches(scrape).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var labels = SampleLine().Matches(scrape).SelectMany(m => m.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=')[0]).ToHashSet(StringComparer.Ordinal);

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryRoot.File("deploy/grafana/bench-live.json"), TestContext.Current.CancellationToken));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)).ToList();
        Assert.NotEmpty(expressions);
        foreach (var expression in expressions)
        {
            foreach (var name in SeriesName().Matches(expression).Select(m => m.Value))
            {
                Assert.True(served.Contains(name), $"the dashboard queries {name}, which the endpoint does not serve: {string.Join(", ", served.Where(s => s.StartsWith("bench_", StringComparison.Ordinal)).Order())}");
            }

            foreach (var label in Grouping().Matches(expression).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries)))
            {
                Assert.True(labels.Contains(label), $"the dashboard groups by '{label}', a label no served series has");
            }
        }

        // Every instrument has a panel: its Prometheus name (dots to underscores) starts some queried series.
        var queried = expressions.SelectMany(e => SeriesName().Matches(e).Select(m => m.Value)).ToList();
        foreach (var instrument in new[] { LiveInstruments.Duration, LiveInstruments.Errors, LiveInstruments.TargetRate, LiveInstruments.Dropped, LiveInstruments.LagP99, LiveInstruments.LagMax, LiveInstruments.StoreUsage })
        {
            var prefix = instrument.Replace('.', '_');
            Assert.True(queried.Any(q => q.StartsWith(prefix, StringComparison.Ordinal)), $"no panel shows {instrument}");
        }
    }
}
