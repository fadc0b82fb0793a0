using System.Globalization;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Cosmos.Documents;
using Microsoft.Azure.Cosmos;

namespace Benchmarks.Stores.Cosmos;

/// <summary>
/// The Cosmos DB operations of a mix. Each picks its document from the key distribution (zipfian hot
/// users) and reports <see cref="CosmosMetrics"/>: request units, the retry-after of a throttled
/// request, and how many requests the SDK retried (429s and transient failures).
/// </summary>
internal static class CosmosOperations
{
    /// <summary>Each operation's name and constructor, declared once: the factory's list of operations is made from it.</summary>
    private static readonly (string Name, Func<CosmosDriver, CosmosOperationSettings, CosmosDataSet, WorkloadContext, IStoreOperation> Create)[] Table =
    [
        ("read", (driver, settings, data, workload) => new Read(driver, data, workload)),
        ("create", (driver, settings, data, workload) => new CreateNew(driver, data, workload)),
        ("upsert", (driver, settings, data, workload) => new Upsert(driver, data, workload)),
        ("replace", (driver, settings, data, workload) => new Replace(driver, data, workload)),
        ("patch", (driver, settings, data, workload) => new Patch(driver, data, workload)),
        ("delete", (driver, settings, data, workload) => new Delete(driver, data, workload)),
        ("query", (driver, settings, data, workload) => new Query(driver, data, workload, settings)),
        ("read-many", (driver, settings, data, workload) => new ReadMany(driver, data, workload, settings.Items)),
        ("batch", (driver, settings, data, workload) => new Batch(driver, data, workload, settings.Items)),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(t => t.Name)];

    public static IStoreOperation Create(string operation, CosmosDriver driver, CosmosOperationSettings settings, CosmosDataSet data, WorkloadContext workload) =>
        Array.Find(Table, t => t.Name == operation).Create?.Invoke(driver, settings, data, workload)
        ?? throw new ArgumentOutOfRangeException(nameof(operation), operation, "validated by the factory");

    private static OperationMeasures Measures(double requestCharge, CosmosDiagnostics? diagnostics) =>
        CosmosMetrics.Of(requestCharge, diagnostics?.GetFailedRequestCount() ?? 0);

    /// <summary>A failed request is still charged, and a throttled one says when to come back: both are recorded with the error.</summary>
    private static MeasuredOperationException Charged(CosmosException e) =>
        new(e, CosmosMetrics.Of(e.RequestCharge, e.Diagnostics?.GetFailedRequestCount() ?? 0, e.RetryAfter));

    /// <summary>The base of every operation: runs it, turning a Cosmos failure into a measured failure.</summary>
    private abstract class CosmosOperation(CosmosDriver driver) : IMeasuringOperation
    {
        protected Container Container => driver.Container;

        protected long RunStamp => driver.RunStamp;

        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            await ExecuteMeasuredAsync(random, sequence, cancellationToken);

        public async ValueTask<OperationMeasures> ExecuteMeasuredAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            try
            {
                return await RunAsync(random, sequence, cancellationToken);
            }
            catch (CosmosException e)
            {
                throw Charged(e);
            }
        }

        protected abstract Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken);

        /// <summary>The document operation <paramref name="sequence"/> addresses: its id and partition key, from the key distribution.</summary>
        protected static (string Id, PartitionKey Key) Pick(CosmosDataSet data, WorkloadContext workload, ref OperationRandom random, long sequence)
        {
            var index = workload.Distribution.Next(ref random, sequence);
            var id = data.Id(index);
            return (id, data.KeyOf(index, id));
        }
    }

    /// <summary>A point read; in a flow, a document that is not there is a miss (still charged), not an error.</summary>
    private sealed class Read(CosmosDriver driver, CosmosDataSet data, WorkloadContext workload) : CosmosOperation(driver), IFindingOperation
    {
        /// <summary>The document as the store sent it (the bytes a cache in front would keep), through the stream API: a 404 is a miss.</summary>
        public async ValueTask<Finding> FindAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (id, key) = Pick(data, workload, ref random, sequence);
            try
            {
                using var response = await Container.ReadItemStreamAsync(id, key, cancellationToken: cancellationToken);
                var measures = Measures(response.Headers.RequestCharge, response.Diagnostics);
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return new Finding(false, measures) { MissIsError = true };
                }

                response.EnsureSuccessStatusCode();
                using var document = new MemoryStream();
                await response.Content.CopyToAsync(document, cancellationToken);
                return new Finding(true, measures) { Value = document.ToArray() };
            }
            catch (CosmosException e)
            {
                throw Charged(e);
            }
        }

        protected override async Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (id, key) = Pick(data, workload, ref random, sequence);
            var response = await Container.ReadItemAsync<CosmosDocument>(id, key, cancellationToken: cancellationToken);
            return Measures(response.RequestCharge, response.Diagnostics);
        }
    }

    /// <summary>A new document in the partition of a picked user; its id is new for every operation of every run.</summary>
    private sealed class CreateNew(CosmosDriver driver, CosmosDataSet data, WorkloadContext workload) : CosmosOperation(driver)
    {
        protected override async Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var index = workload.Distribution.Next(ref random, sequence);
            var id = string.Create(CultureInfo.InvariantCulture, $"{data.Id(index)}:new:{RunStamp}:{sequence}");
            var response = await Container.CreateItemAsync(data.Document(id, index, sequence), data.KeyOf(index), cancellationToken: cancellationToken);
            return Measures(response.RequestCharge, response.Diagnostics);
        }
    }

    private sealed class Upsert(CosmosDriver driver, CosmosDataSet data, WorkloadContext workload) : CosmosOperation(driver)
    {
        protected override async Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var index = workload.Distribution.Next(ref random, sequence);
            var document = data.Document(index, sequence + 1);
            var response = await Container.UpsertItemAsync(document, data.KeyOf(index, document.UserId), cancellationToken: cancellationToken);
            return Measures(response.RequestCharge, response.Diagnostics);
        }
    }

    private sealed class Replace(CosmosDriver driver, CosmosDataSet data, WorkloadContext workload) : CosmosOperation(driver)
    {
        protected override async Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var index = workload.Distribution.Next(ref random, sequence);
            var document = data.Document(index, sequence + 1);
            var response = await Container.ReplaceItemAsync(document, document.Id, data.KeyOf(index, document.UserId), cancellationToken: cancellationToken);
            return Measures(response.RequestCharge, response.Diagnostics);
        }
    }

    /// <summary>A partial update, as a feature pipeline refreshes a profile: bump the version, stamp the time, count a session.</summary>
    private sealed class Patch(CosmosDriver driver, CosmosDataSet data, WorkloadContext workload) : CosmosOperation(driver)
    {
        protected override async Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (id, key) = Pick(data, workload, ref random, sequence);
            var response = await Container.PatchItemAsync<CosmosDocument>(id, key,
                [PatchOperation.Increment("/version", 1), PatchOperation.Increment("/sessions", 1), PatchOperation.Set("/updatedAt", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())],
                cancellationToken: cancellationToken);
            return Measures(response.RequestCharge, response.Diagnostics);
        }
    }

    /// <summary>Deletes a picked document: once it is gone, deleting it again is a not-found, as in any real delete-heavy workload.</summary>
    private sealed class Delete(CosmosDriver driver, CosmosDataSet data, WorkloadContext workload) : CosmosOperation(driver)
    {
        protected override async Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (id, key) = Pick(data, workload, ref random, sequence);
            var response = await Container.DeleteItemAsync<CosmosDocument>(id, key, cancellationToken: cancellationToken);
            return Measures(response.RequestCharge, response.Diagnostics);
        }
    }

    /// <summary>
    /// A parameterised query (@id, @userId, @tenantId, @pk bound from a picked document), scoped to that
    /// document's partition or across partitions; reads up to <c>maxPages</c> pages of <c>pageSize</c>.
    /// The request charge is the sum over the pages.
    /// </summary>
    private sealed class Query(CosmosDriver driver, CosmosDataSet data, WorkloadContext workload, CosmosOperationSettings settings) : CosmosOperation(driver)
    {
        private static readonly (string Name, Func<CosmosDataSet, long, string> Value)[] Bindable =
        [
            ("@id", (d, i) => d.Id(i)), ("@userId", (d, i) => d.Id(i)), ("@tenantId", (d, i) => d.Tenant(i)), ("@pk", (d, i) => d.Bucket(i)),
        ];

        /// <summary>The parameters the statement names, found once rather than on every operation.</summary>
        private readonly (string Name, Func<CosmosDataSet, long, string> Value)[] _parameters =
            [.. Bindable.Where(p => settings.Statement!.Contains(p.Name, StringComparison.Ordinal))];

        protected override async Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var index = workload.Distribution.Next(ref random, sequence);
            var query = new QueryDefinition(settings.Statement);
            foreach (var (name, value) in _parameters)
            {
                query = query.WithParameter(name, value(data, index));
            }

            var options = new QueryRequestOptions { MaxItemCount = settings.PageSize };
            if (!settings.CrossPartition)
            {
                options.PartitionKey = data.KeyOf(index);
            }

            // Pages are read as streams: a query may project any shape, and the client's cost of reading them is the bytes, not a model.
            double charge = 0;
            var retries = 0;
            using var pages = Container.GetItemQueryStreamIterator(query, requestOptions: options);
            for (var page = 0; page < settings.MaxPages && pages.HasMoreResults; page++)
            {
                using var response = await pages.ReadNextAsync(cancellationToken);
                charge += response.Headers.RequestCharge;
                retries += response.Diagnostics?.GetFailedRequestCount() ?? 0;
                // Throws a CosmosException (with this page's charge) that the base class records.
                response.EnsureSuccessStatusCode();
                await response.Content.CopyToAsync(Stream.Null, cancellationToken);
            }

            return CosmosMetrics.Of(charge, retries);
        }
    }

    /// <summary>Point reads of <c>items</c> documents in one call (ReadManyItemsAsync).</summary>
    private sealed class ReadMany(CosmosDriver driver, CosmosDataSet data, WorkloadContext workload, int items) : CosmosOperation(driver)
    {
        protected override async Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var keys = new List<(string, PartitionKey)>(items);
            for (var i = 0; i < items; i++)
            {
                var index = workload.Distribution.Next(ref random, (sequence * items) + i);
                var id = data.Id(index);
                keys.Add((id, data.KeyOf(index, id)));
            }

            var response = await Container.ReadManyItemsAsync<CosmosDocument>(keys, cancellationToken: cancellationToken);
            return Measures(response.RequestCharge, response.Diagnostics);
        }
    }

    /// <summary>A TransactionalBatch of <c>items</c> upserts in one logical partition: the picked document and its slot documents.</summary>
    private sealed class Batch(CosmosDriver driver, CosmosDataSet data, WorkloadContext workload, int items) : CosmosOperation(driver)
    {
        protected override async Task<OperationMeasures> RunAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var index = workload.Distribution.Next(ref random, sequence);
            var batch = Container.CreateTransactionalBatch(data.KeyOf(index)).UpsertItem(data.Document(index, sequence + 1));
            for (var slot = 1; slot < items; slot++)
            {
                batch = batch.UpsertItem(data.Document(string.Create(CultureInfo.InvariantCulture, $"{data.Id(index)}:slot{slot}"), index, sequence + 1));
            }

            using var response = await batch.ExecuteAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new MeasuredOperationException(new CosmosBatchFailedException(response), CosmosMetrics.Of(response.RequestCharge, 0, response.RetryAfter));
            }

            return Measures(response.RequestCharge, response.Diagnostics);
        }
    }
}

/// <summary>A TransactionalBatch the service refused as a whole (it reports a status instead of throwing).</summary>
public sealed class CosmosBatchFailedException : Exception
{
    public CosmosBatchFailedException() { }

    public CosmosBatchFailedException(string message) : base(message) { }

    public CosmosBatchFailedException(string message, Exception inner) : base(message, inner) { }

    internal CosmosBatchFailedException(TransactionalBatchResponse response)
        : base($"the batch failed with {(int)response.StatusCode} {response.StatusCode}: {response.ErrorMessage?.Split('\n')[0]}") => StatusCode = response.StatusCode;

    public System.Net.HttpStatusCode StatusCode { get; }
}
