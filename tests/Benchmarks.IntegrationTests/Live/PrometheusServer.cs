using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Benchmarks.Core.Stores;

namespace Benchmarks.IntegrationTests.Live;

/// <summary>A throwaway Prometheus (Debian's package) on a free loopback port, scraping one target every second; killed on dispose.</summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly LocalServerProcess _process;
    private readonly DirectoryInfo _folder;
    private readonly HttpClient _http;

    private PrometheusServer(LocalServerProcess process, DirectoryInfo folder)
    {
        _process = process;
        _folder = folder;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{process.Port.ToString(CultureInfo.InvariantCulture)}/") };
    }

    public static async Task<PrometheusServer> StartAsync(int targetPort)
    {
        var path = Requirements.FindOnPath("prometheus");
        if (path is null)
        {
            Requirements.Unavailable("prometheus", "apt-get install prometheus");
        }

        var folder = Directory.CreateTempSubdirectory("bench-prometheus-");
        var config = Path.Combine(folder.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global: {"{"} scrape_interval: 1s, scrape_timeout: 900ms {"}"}
            scrape_configs:
              - job_name: bench
                static_configs: [ {"{"} targets: [ "127.0.0.1:{targetPort.ToString(CultureInfo.InvariantCulture)}" ] {"}"} ]
            """);
        var port = LocalServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo(path!)
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}",
                $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            },
        };
        return new PrometheusServer(await LocalServerProcess.StartAsync("prometheus", start, port, ReadyAsync, TimeSpan.FromSeconds(30), CancellationToken.None), folder);
    }

    /// <summary>An instant query's single value (null when the result is empty).</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        var response = await _http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        Assert.Equal("success", response.GetProperty("status").GetString());
        var result = response.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    private static async Task<bool> ReadyAsync(int port, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/-/ready"), cancellationToken)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
