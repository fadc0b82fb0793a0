// The registry lookup through Npgsql alone, in the plainest closed loop that uses it well: one connection and one
// command per client (prepared automatically, as the harness's are), opened once, new parameter values per call,
// every column of the row read once with its typed getter (as the harness reads it), every latency kept (exact
// percentiles). tools/compare-pgbench.sh runs
// it beside the harness and pgbench, so what the harness adds to Npgsql and what Npgsql costs beside libpq are two
// separate figures.
//   dotnet NpgsqlLoop.dll <clients> <seconds> <rows> <connection string> [async|async-rent|sync|wire] [warm-up seconds=3]
// "async" (the default) awaits as the harness does, with the socket engine's inline completions as bench sets them;
// "async-rent" rents the connection from Npgsql's pool for each call and returns it after, as the harness and a
// service do; "sync" drives Npgsql's synchronous API from one dedicated thread per client; "wire" sends the same
// lookup with no client library at all (WireLookup.cs: the wire protocol on the same sockets, trust authentication only),
// the floor under Npgsql.
using System.Diagnostics;
using Npgsql;

var mode = args.Length > 4 ? args[4] : "async";
if (args.Length < 4 || !int.TryParse(args[0], out var clients) || !int.TryParse(args[1], out var seconds) || !int.TryParse(args[2], out var rows)
    || mode is not ("async" or "async-rent" or "sync" or "wire"))
{
    Console.Error.WriteLine("usage: NpgsqlLoop <clients> <seconds> <rows> <connection string> [async|async-rent|sync|wire] [warm-up seconds=3]");
    return 2;
}

var synchronous = mode == "sync";
var rentPerCall = mode == "async-rent";
const int VersionsPerModel = 8;
var warmupSeconds = args.Length > 5 && int.TryParse(args[5], out var warmup) ? warmup : 3;
const string Lookup = "SELECT model_id, model_name, version, status, created_at, updated_at, metadata, owner, tags " +
                      "FROM model_registry WHERE model_name = $1 AND version = $2";
// Statements prepared automatically on each physical connection, as the harness has them (a connection rented per call
// may be another one than the command was first prepared on).
var builder = new NpgsqlDataSourceBuilder(args[3]);
builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
// As bench's data source: a connection given back to the pool keeps its session, as pgbench's do (otherwise Npgsql
// prepends the statements that reset a session to the next query after every return, which "async-rent" would pay per call).
builder.ConnectionStringBuilder.NoResetOnClose = true;
await using var dataSource = builder.Build();
var latencies = Enumerable.Range(0, clients).Select(_ => new List<long>(1 << 20)).ToArray();
var measuring = false;
var stopping = false;
var measuredCount = 0L;

var workers = Enumerable.Range(0, clients).Select(client =>
    synchronous ? Task.Factory.StartNew(() => RunSynchronously(client), TaskCreationOptions.LongRunning)
    : mode == "wire" ? Task.Run(() => RunOverTheWireAsync(client)) : Task.Run(() => RunAsync(client))).ToArray();
Thread.Sleep(TimeSpan.FromSeconds(warmupSeconds));
var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
var allocatedAtStart = GC.GetTotalAllocatedBytes();
var started = Stopwatch.GetTimestamp();
Volatile.Write(ref measuring, true);
Thread.Sleep(TimeSpan.FromSeconds(seconds));
Volatile.Write(ref measuring, false);
var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
var allocated = GC.GetTotalAllocatedBytes() - allocatedAtStart;
Volatile.Write(ref stopping, true);
await Task.WhenAll(workers);

var all = latencies.SelectMany(l => l).Order().ToArray();
double Percentile(double p) => all[Math.Min(all.Length - 1, (int)(p / 100 * all.Length))] * 1000.0 / Stopwatch.Frequency;
Console.WriteLine($"{(mode == "wire" ? "wire" : "npgsql-" + mode)} ops/s={Interlocked.Read(ref measuredCount) / elapsed:F0} p50={Percentile(50):F3} " +
                  $"p99={Percentile(99):F3} p99.9={Percentile(99.9):F3} max={all[^1] * 1000.0 / Stopwatch.Frequency:F3} " +
                  $"cpu={100 * cpu / elapsed / Environment.ProcessorCount:F0}% of {Environment.ProcessorCount} cores gen0={GC.CollectionCount(0)} " +
                  $"allocated/op={allocated / Math.Max(1, Interlocked.Read(ref measuredCount))}B");
return 0;

async Task RunAsync(int client)
{
    var kept = latencies[client];
    var random = new Random(client);
    var connection = await dataSource.OpenConnectionAsync();
    var command = Prepare(connection);
    if (rentPerCall)
    {
        await connection.DisposeAsync();
    }

    while (!Volatile.Read(ref stopping))
    {
        Bind(command, random);
        var start = Stopwatch.GetTimestamp();
        if (rentPerCall)
        {
            connection = await dataSource.OpenConnectionAsync();
            command.Connection = connection;
        }

        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ReadRow(reader);
            }
        }

        if (rentPerCall)
        {
            await connection.DisposeAsync();
        }

        Keep(kept, start);
    }

    await command.DisposeAsync();
    if (!rentPerCall)
    {
        await connection.DisposeAsync();
    }
}

async Task RunOverTheWireAsync(int client)
{
    var kept = latencies[client];
    var random = new Random(client);
    await using var connection = await WireLookup.ConnectAsync(args[3], Lookup);
    while (!Volatile.Read(ref stopping))
    {
        var (name, version) = NextRow(random);
        var start = Stopwatch.GetTimestamp();
        if (await connection.LookupAsync(name, version) != 1)
        {
            throw new InvalidOperationException($"{name} {version}: not one row; load the rows first");
        }

        Keep(kept, start);
    }
}

void RunSynchronously(int client)
{
    var kept = latencies[client];
    var random = new Random(client);
    using var connection = dataSource.OpenConnection();
    using var command = Prepare(connection);
    while (!Volatile.Read(ref stopping))
    {
        Bind(command, random);
        var start = Stopwatch.GetTimestamp();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                ReadRow(reader);
            }
        }

        Keep(kept, start);
    }
}

static NpgsqlCommand Prepare(NpgsqlConnection connection)
{
    var command = new NpgsqlCommand(Lookup, connection);
    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "" });
    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "" });
    return command;
}

// Every column once, by its type: uuid, three varchar, two timestamptz, jsonb (as text), two varchar (nullable).
static void ReadRow(NpgsqlDataReader reader)
{
    reader.GetGuid(0);
    reader.GetString(1);
    reader.GetString(2);
    reader.GetString(3);
    reader.GetDateTime(4);
    reader.GetDateTime(5);
    for (var column = 6; column < 9; column++)
    {
        if (!reader.IsDBNull(column))
        {
            reader.GetString(column);
        }
    }
}

// The same rows as the harness's registry (keyPrefix "model-", versionsPerModel 8) and pgbench's script.
(string Name, string Version) NextRow(Random random)
{
    var row = random.Next(rows);
    return ("model-" + (row / VersionsPerModel), "1." + (row % VersionsPerModel) + ".0");
}

void Bind(NpgsqlCommand command, Random random)
{
    var (name, version) = NextRow(random);
    ((NpgsqlParameter<string>)command.Parameters[0]).TypedValue = name;
    ((NpgsqlParameter<string>)command.Parameters[1]).TypedValue = version;
}

void Keep(List<long> kept, long start)
{
    if (Volatile.Read(ref measuring))
    {
        kept.Add(Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref measuredCount);
    }
}
