using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Blob;
using Benchmarks.Stores.Blob.Local;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.IntegrationTests.Blob;

/// <summary>The Blob driver against the real Azurite (tools/azurite), started by the harness for each run.</summary>
public sealed class AzuriteBlobTests : IDisposable
{
    private readonly Runs _runs = new(new StoreCatalog([new BlobDriverFactory()]));

    public void Dispose() => _runs.Dispose();

    private static void RequireAzurite()
    {
        if (LocalAzurite.FindPackage() is not { } folder || !File.Exists(Path.Combine(folder, "node_modules", "azurite", "dist", "src", "blob", "main.js")))
        {
            Requirements.Unavailable("Azurite (tools/azurite/node_modules)", "npm ci --prefix tools/azurite (Node.js 18+)");
        }

        if (Requirements.FindOnPath("node") is null)
        {
            Requirements.Unavailable("Node.js", "sudo apt-get install -y nodejs npm");
        }
    }

    private static string Scenario(string mix, string store = ", artifactSize: 300KB", string data = "{ keys: 20, keyPrefix: \"model-\" }") => $"""
        name: blob-it
        seed: 3
        store: {"{"} kind: blob, connection: local{store} {"}"}
        data: {data}
        workload:
          distribution: uniform
          mix: {mix}
        load: {"{"} executor: constant-arrival-rate, rate: 60/s, duration: 3s, warmup: 1s, {Runs.RelaxedSelfCheck} {"}"}
        """;

    [Fact]
    public async Task Every_operation_runs_against_azurite_and_counts_its_bytes_exactly()
    {
        RequireAzurite();
        const string Mix = "[ { op: download, weight: 2 }, { op: range, length: 10KB }, { op: upload }, { op: exists }, { op: list, pageSize: 7 } ]";
        var r = (await _runs.RunAsync(_runs.Load(Scenario(Mix)), TestContext.Current.CancellationToken)).Result;

        Assert.Equal(5, r.Operations.Count);
        foreach (var op in r.Operations)
        {
            Assert.True(op.Errors.Total == 0, $"{op.Name}: {string.Join("; ", op.Errors.FirstMessages ?? new Dictionary<string, string>())}");
            Assert.True(op.Count > 10, $"{op.Name}: {op.Count}");
        }

        var byName = r.Operations.ToDictionary(o => o.Name);
        // Every download streams a whole artifact, every range its length, every upload a whole artifact: to the byte.
        Assert.Equal(byName["download"].Count * 300 * 1024, byName["download"].Metrics!["bytes"].Total);
        Assert.Equal(byName["range"].Count * 10 * 1024, byName["range"].Metrics!["bytes"].Total);
        Assert.Equal(byName["upload"].Count * 300 * 1024, byName["upload"].Metrics!["bytes"].Total);
        Assert.True(byName["download"].Metrics!["mb_per_s"].P50 > 0);
        // No body, no bytes: exists and list record no store metrics rather than zeros that would drag the totals.
        Assert.Equal(0, byName["exists"].Metrics!["bytes"].Count);
        Assert.Equal(0, byName["list"].Metrics!["mb_per_s"].Count);
        Assert.Equal(byName["download"].Count + byName["range"].Count + byName["upload"].Count, r.Total.Metrics!["bytes"].Count);
        Assert.Equal("Azurite (local)", r.Environment.Server);
    }

    [Fact]
    public async Task A_missing_artifact_is_counted_as_not_found()
    {
        RequireAzurite();
        var scenario = _runs.Load(Scenario("[ { op: download } ]", data: "{ keys: 20, keyPrefix: \"never-written-\", preload: false }"));
        var r = (await _runs.RunAsync(scenario, TestContext.Current.CancellationToken)).Result;

        var download = Assert.Single(r.Operations);
        Assert.Equal(0, download.Count);
        Assert.True(download.Errors.ByKind["not-found"] > 100);
        Assert.Equal(download.Errors.Total, download.Errors.ByKind["not-found"]);
    }

    [Fact]
    public async Task A_256_MB_download_is_counted_to_the_byte_through_one_buffer()
    {
        RequireAzurite();
        const long Size = 256L * 1024 * 1024;
        var factory = new BlobDriverFactory();
        var scenario = _runs.Load(Scenario("[ { op: download } ]", store: ", artifactSize: 256MB, bufferSize: 1MB", data: "{ keys: 1, keyPrefix: \"big-\" }"));
        await using var driver = ((IStoreDriverFactory)factory).Create(scenario.Store.Settings);
        await driver.ConnectAsync(TestContext.Current.CancellationToken);
        var workload = new WorkloadContext(scenario.Seed, "big-", scenario.Workload.Distribution.Create(1), new ValueGenerator(scenario.Data.Value, scenario.Seed));
        await ((IPreloadingDriver)driver).PreloadAsync(workload, scenario.Data, new Progress<long>(), TestContext.Current.CancellationToken);
        var download = (IMeasuringOperation)driver.CreateOperation(scenario.Workload.Mix[0], workload);

        // Warm the path once, then measure what one more whole download allocates.
        Assert.Equal(Size, (long)(await download.ExecuteMeasuredAsync(new OperationRandom(1, 0), 0, TestContext.Current.CancellationToken))[BlobMetrics.Bytes]);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var measures = await download.ExecuteMeasuredAsync(new OperationRandom(1, 1), 1, TestContext.Current.CancellationToken);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(Size, (long)measures[BlobMetrics.Bytes]);
        Assert.True(allocated < 16 * 1024 * 1024, $"a 256 MB download allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task An_unreachable_account_is_invalid_and_its_key_never_printed()
    {
        const string Key = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
        var path = Path.Combine(_runs.Directory, "unreachable.yaml");
        File.WriteAllText(path, Scenario("[ { op: download } ]").Replace("connection: local",
            $"connection: \"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;\", connectTimeout: 2s",
            StringComparison.Ordinal));
        var (code, output, error) = await CliHarness.RunAsync("run", path, "--out", Path.Combine(_runs.Directory, "out"));

        Assert.Equal(3, code);
        Assert.Contains("cannot reach Blob storage at 127.0.0.1:9", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_the_sdk_cannot_read_is_invalid_and_never_printed()
    {
        const string Key = "not-base64-S3cr3t!";
        var path = Path.Combine(_runs.Directory, "unreadable.yaml");
        File.WriteAllText(path, Scenario("[ { op: download } ]").Replace("connection: local",
            $"connection: \"AccountName=mlartifacts;AccountKey={Key}\"", StringComparison.Ordinal));
        var (code, output, error) = await CliHarness.RunAsync("run", path, "--out", Path.Combine(_runs.Directory, "out-unreadable"));

        Assert.Equal(3, code);
        Assert.Contains("the connection string cannot be read", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, output + error, StringComparison.Ordinal);
    }
}
