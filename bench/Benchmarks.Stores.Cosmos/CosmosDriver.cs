using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Identity;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Cosmos.Documents;
using Benchmarks.Stores.Cosmos.Local;
using Microsoft.Azure.Cosmos;

namespace Benchmarks.Stores.Cosmos;

/// <summary>
/// Cosmos DB (NoSQL API) through Microsoft.Azure.Cosmos with System.Text.Json. Connecting creates the
/// database and container when missing; every operation reports its request charge, and a throttled
/// request (429, once the SDK's own retries are spent) its retry-after.
/// </summary>
internal sealed class CosmosDriver(CosmosSettings settings) : IStoreDriver, IPreloadingDriver, IExposesClient
{
    private LocalServerProcess? _local;
    private CosmosClient? _client;
    private Container? _container;
    private CosmosDataSet? _data;
    private string _target = "";
    private string _endpoint = "";

    internal Container Container => _container!;

    public T? Client<T>() where T : class => typeof(T) == typeof(Container) ? _container as T : typeof(T) == typeof(CosmosClient) ? _client as T : null;

    public IReadOnlyList<Type> ClientTypes { get; } = [typeof(Container), typeof(CosmosClient)];

    internal CosmosSettings Settings => settings;

    internal readonly long RunStamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken)
    {
        string endpoint;
        if (settings.IsLocal)
        {
            _local = await LocalCosmosServer.StartAsync(cancellationToken);
            endpoint = string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{_local.Port}/");
            _target = string.Create(CultureInfo.InvariantCulture, $"local cosmosdb-server at 127.0.0.1:{_local.Port}");
        }
        else
        {
            endpoint = settings.Connection;
            _target = CosmosDriverFactory.Describe(settings.Connection);
        }

        _endpoint = endpoint;
        _client = CreateClient(endpoint, bulk: false);
        try
        {
            // The SDK retries an unreachable gateway for a long time: the connect timeout bounds it.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.ConnectTimeout);
            var account = await _client.ReadAccountAsync().WaitAsync(timeout.Token);
            var database = (await _client.CreateDatabaseIfNotExistsAsync(settings.Database, cancellationToken: timeout.Token)).Database;
            // One path: a plain hash key; more: a hierarchical (MultiHash) key.
            var paths = DataSetPaths();
            var properties = paths.Count == 1 ? new ContainerProperties(settings.Container, paths[0]) : new ContainerProperties(settings.Container, paths);
            var container = await database.CreateContainerIfNotExistsAsync(properties, settings.Throughput, cancellationToken: timeout.Token);
            _container = container.Container;
            return new StoreInfo(_target, "Microsoft.Azure.Cosmos", typeof(CosmosClient).Assembly.GetName().Version?.ToString() ?? "?",
                // The service exposes no server version: an account reports none rather than its name in that field.
                settings.IsLocal ? "cosmosdb-server (local)" : $"Azure Cosmos DB account {account.Id}",
                settings.IsLocal ? LocalCosmosServer.InstalledVersion() : null);
        }
        catch (Exception e) when (e is CosmosException or HttpRequestException or OperationCanceledException or TimeoutException or AuthenticationFailedException or ArgumentException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var why = e is OperationCanceledException or TimeoutException ? string.Create(CultureInfo.InvariantCulture, $"no answer within {settings.ConnectTimeout.TotalSeconds:0.#} s") : FirstLine(e.Message);
            throw new StoreUnavailableException($"cannot connect to Cosmos DB at {_target}: {why}", e);
        }
    }

    private IReadOnlyList<string> DataSetPaths() => new CosmosDataSet(0, "", settings.Documents, 1, settings.Partitioning, settings.Buckets).PartitionKeyPaths;

    private CosmosClient CreateClient(string endpoint, bool bulk)
    {
        var options = new CosmosClientOptions
        {
            ApplicationName = "bench",
            ConnectionMode = settings.Gateway ? ConnectionMode.Gateway : ConnectionMode.Direct,
            MaxRetryAttemptsOnRateLimitedRequests = settings.MaxRetriesOn429,
            MaxRetryWaitTimeOnRateLimitedRequests = settings.MaxRetryWait,
            RequestTimeout = settings.RequestTimeout,
            EnableContentResponseOnWrite = settings.ContentOnWrite,
            AllowBulkExecution = bulk,
            UseSystemTextJsonSerializerWithOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web),
        };
        if (settings.Consistency is { } consistency)
        {
            options.ConsistencyLevel = Enum.Parse<ConsistencyLevel>(consistency, ignoreCase: true);
        }

        if (settings.PreferredRegions.Count > 0)
        {
            options.ApplicationPreferredRegions = [.. settings.PreferredRegions];
        }

        if (settings.IsLocal)
        {
            // The local server: gateway only, no other regions to discover, its own certificate on loopback.
            options.ConnectionMode = ConnectionMode.Gateway;
            options.LimitToEndpoint = true;
            options.HttpClientFactory = () => new HttpClient(LocalCosmosServer.LoopbackHandler(), disposeHandler: true);
            return new CosmosClient(endpoint, LocalCosmosServer.WellKnownKey, options);
        }

        return settings.Authentication == CosmosAuthentication.EntraId
            ? new CosmosClient(endpoint, new DefaultAzureCredential(), options)
            : new CosmosClient(endpoint, settings.Key, options);
    }

    internal CosmosDataSet Data(WorkloadContext workload) =>
        _data ??= new CosmosDataSet(workload.Seed, workload.KeyPrefix, settings.Documents, settings.Dimensions, settings.Partitioning, settings.Buckets);

    public (long Count, string Description) DescribePreload(DataDefinition data) =>
        (data.Keys, string.Create(CultureInfo.InvariantCulture, $"{data.Keys:N0} {(settings.Documents == DocumentKind.Feature ? $"feature documents ({settings.Dimensions} floats)" : "profile documents")}") +
            $" partitioned {settings.Partitioning.ToString().ToLowerInvariant()}{(settings.BulkPreload ? ", bulk" : "")}");

    /// <summary>Upserts every document, <c>preloadConcurrency</c> at a time (or through the SDK's bulk mode), so a re-run finds the same data.</summary>
    public async Task PreloadAsync(WorkloadContext workload, DataDefinition data, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var set = Data(workload);
        using var bulkClient = settings.BulkPreload ? CreateClient(_endpoint, bulk: true) : null;
        var container = bulkClient?.GetContainer(settings.Database, settings.Container) ?? _container!;
        long done = 0;
        await Parallel.ForAsync(0, data.Keys, new ParallelOptions { MaxDegreeOfParallelism = settings.BulkPreload ? 512 : settings.PreloadConcurrency, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                await container.UpsertItemAsync(set.Document(index), set.KeyOf(index), cancellationToken: token);
                if (Interlocked.Increment(ref done) % 1000 == 0)
                {
                    progress.Report(done);
                }
            });
        progress.Report(data.Keys);
    }

    public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) =>
        CosmosOperations.Create(operation.Operation, this, operation.SettingsOf<CosmosOperationSettings>(), Data(workload), workload);

    public ErrorKind Classify(Exception error) => error switch
    {
        CosmosException e => Classify(e.StatusCode),
        CosmosBatchFailedException b => Classify(b.StatusCode),
        CosmosOperationCanceledException or TimeoutException or OperationCanceledException => ErrorKind.Timeout,
        HttpRequestException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException => ErrorKind.Connection,
        _ => ErrorKind.Other,
    };

    private static ErrorKind Classify(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => ErrorKind.NotFound,
        HttpStatusCode.TooManyRequests => ErrorKind.Throttled,
        HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => ErrorKind.Constraint,
        HttpStatusCode.RequestTimeout => ErrorKind.Timeout,
        HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.Forbidden => ErrorKind.Client,
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.Unauthorized => ErrorKind.Connection,
        _ => ErrorKind.Server,
    };

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_local is not null)
        {
            await _local.DisposeAsync();
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
