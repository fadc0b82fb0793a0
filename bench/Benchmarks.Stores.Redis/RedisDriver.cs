using System.Globalization;
using System.Net.Sockets;
using Benchmarks.Core.Sockets;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Redis.Lean;
using StackExchange.Redis;

namespace Benchmarks.Stores.Redis;

/// <summary>
/// Redis through StackExchange.Redis with N multiplexers used round-robin. Commands fail fast while
/// disconnected (no hidden backlog), so a store that goes away shows as connection errors at once.
/// </summary>
internal sealed class RedisDriver(RedisSettings settings) : IStoreDriver, IPreloadingDriver, IExposesClient, IFaultTarget
{
    private LocalServerProcess? _embedded;
    private ConfigurationOptions? _options;
    private ConnectionMultiplexer[] _connections = [];
    private IDatabase[] _databases = [];
    private long _next;
    private int _hashFields;

    public async Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken)
    {
        string connection;
        if (settings.IsEmbedded || settings.IsLocal)
        {
            _embedded = settings.IsLocal
                ? await EmbeddedGarnet.StartRedisServerAsync(cancellationToken)
                : await EmbeddedGarnet.StartAsync(settings.EmbeddedMemory, cancellationToken);
            connection = $"127.0.0.1:{_embedded.Port.ToString(CultureInfo.InvariantCulture)}";
        }
        else
        {
            connection = settings.Connection;
        }

        var options = _options = Options(connection);
        var target = RedisDriverFactory.Endpoints(options) + (options.Ssl ? " (tls)" : "");
        _connections = new ConnectionMultiplexer[settings.Connections];
        try
        {
            for (var i = 0; i < _connections.Length; i++)
            {
                _connections[i] = await ConnectionMultiplexer.ConnectAsync(options.Clone()).WaitAsync(cancellationToken);
            }
        }
        catch (RedisConnectionException e)
        {
            // The library's message lists endpoints and states, not the password.
            throw new StoreUnavailableException($"cannot connect to Redis at {target}: {FirstLine(e.Message)}", e);
        }

        _databases = [.. _connections.Select(c => c.GetDatabase())];
        var (serverName, serverVersion) = await DescribeServerAsync(_connections[0]);
        var where = settings.IsEmbedded ? $"embedded garnet-server at {target}" : target;
        if (settings.Client == RedisClient.Lean)
        {
            Lean = await ConnectLeanAsync(options, target, cancellationToken);
            return new StoreInfo(where, "bench lean RESP", typeof(RedisDriver).Assembly.GetName().Version?.ToString() ?? "?", serverName, serverVersion);
        }

        return new StoreInfo(where, "StackExchange.Redis", typeof(ConnectionMultiplexer).Assembly.GetName().Version?.ToString() ?? "?", serverName, serverVersion);
    }

    /// <summary>The lean connections the measured operations go through with <c>client: lean</c>; null otherwise.</summary>
    internal LeanConnections? Lean { get; private set; }

    /// <summary>With the lean client's pollers, the open-model dispatcher reads the replies itself between its starts.</summary>
    public IReplyLoop? ReplyLoop => Lean?.ReplyLoop;

    /// <summary>As many lean connections as multiplexers, to the same endpoint with the same TLS and credentials.</summary>
    private async Task<LeanConnections> ConnectLeanAsync(ConfigurationOptions options, string target, CancellationToken cancellationToken)
    {
        var (host, port) = options.EndPoints[0] switch
        {
            System.Net.DnsEndPoint dns => (dns.Host, dns.Port),
            System.Net.IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            var other => throw new StoreUnavailableException($"cannot connect lean connections to {other}"),
        };
        var endpoint = new LeanEndpoint(host, port == 0 ? (options.Ssl ? 6380 : 6379) : port, options.Ssl, options.User, options.Password, settings.ConnectTimeout, settings.OperationTimeout);
        var connections = new List<LeanConnection>();
        var pollers = LeanPoller.Supported && !endpoint.Tls
            ? Enumerable.Range(0, Math.Min(settings.Connections, Environment.ProcessorCount)).Select(LeanPoller.Start).ToArray()
            : [];
        try
        {
            for (var i = 0; i < settings.Connections; i++)
            {
                connections.Add(await LeanConnection.ConnectAsync(endpoint, pollers.Length == 0 ? null : pollers[i % pollers.Length], cancellationToken));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or LeanServerException or System.Security.Authentication.AuthenticationException)
        {
            foreach (var c in connections)
            {
                await c.DisposeAsync();
            }

            foreach (var poller in pollers)
            {
                poller.Dispose();
            }

            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            // The server's words (connection refused, WRONGPASS), never the password.
            throw new StoreUnavailableException($"cannot connect the lean client to Redis at {target}: {FirstLine(e.Message)}", e);
        }

        return new LeanConnections([.. connections], pollers);
    }

    private ConfigurationOptions Options(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = (int)settings.ConnectTimeout.TotalMilliseconds;
        options.SyncTimeout = (int)settings.OperationTimeout.TotalMilliseconds;
        options.AsyncTimeout = (int)settings.OperationTimeout.TotalMilliseconds;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // INFO (for the server's name and version in the result) is an admin command to this client.
        options.AllowAdmin = true;
        options.ClientName = "bench";
        if (settings.User is { Length: > 0 } user)
        {
            options.User = user;
        }

        if (settings.Password is { Length: > 0 } password)
        {
            options.Password = password;
        }

        if (settings.Tls is { } tls)
        {
            options.Ssl = tls;
        }

        return options;
    }

    private static async Task<(string?, string?)> DescribeServerAsync(ConnectionMultiplexer connection)
    {
        try
        {
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            var info = (await server.InfoAsync("server")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
            if (info.TryGetValue("garnet_version", out var garnet))
            {
                return ("garnet", garnet);
            }

            return ("redis", info.TryGetValue("redis_version", out var version) ? version : server.Version.ToString());
        }
        catch (Exception e) when (e is RedisException or ArgumentException)
        {
            // Managed services may refuse INFO; the version is then unknown rather than a failed run.
            return ("redis", null);
        }
    }

    public T? Client<T>() where T : class =>
        typeof(T) == typeof(IDatabase) ? (T)NextDatabase() : typeof(T) == typeof(ConnectionMultiplexer) || typeof(T) == typeof(IConnectionMultiplexer) ? (T)(object)_connections[0] : null;

    public IReadOnlyList<Type> ClientTypes { get; } = [typeof(IDatabase), typeof(ConnectionMultiplexer)];

    public LocalServerProcess? LocalServer => _embedded;

    /// <summary>CLIENT KILL of every normal client, through a connection of its own that the command spares.</summary>
    public async Task DropConnectionsAsync(CancellationToken cancellationToken)
    {
        await using var admin = await AdminAsync(cancellationToken);
        await admin.GetServers()[0].ExecuteAsync("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes").WaitAsync(cancellationToken);
    }

    /// <summary>DEBUG SLEEP: the server is single-threaded and answers nothing while it sleeps (redis-server; garnet has no such command).</summary>
    public async Task SlowAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var admin = await AdminAsync(cancellationToken);
        await admin.GetServers()[0].ExecuteAsync("DEBUG", "SLEEP", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture))
            .WaitAsync(duration + TimeSpan.FromSeconds(30), cancellationToken);
    }

    private async Task<ConnectionMultiplexer> AdminAsync(CancellationToken cancellationToken)
    {
        var options = _options!.Clone();
        options.AllowAdmin = true;
        options.SyncTimeout = options.AsyncTimeout = 60_000;
        return await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
    }

    internal IDatabase NextDatabase() =>
        _databases.Length == 1 ? _databases[0] : _databases[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)_databases.Length)];

    public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload)
    {
        var op = operation.SettingsOf<RedisOperationSettings>();
        if (operation.Operation == "hgetall" || (operation.Operation == "pipeline" && op.PipelinedOperation == "hgetall"))
        {
            // Reads of hashes need hashes to read: preload writes them too.
            _hashFields = Math.Max(_hashFields, op.Fields);
        }

        return Lean is { } lean ? LeanOperations.Create(operation.Operation, lean, op, workload) : RedisOperations.Create(operation.Operation, this, op, workload);
    }

    public ErrorKind Classify(Exception error) => error switch
    {
        RedisTimeoutException or TimeoutException => ErrorKind.Timeout,
        LeanServerException e when e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal) || e.Message.StartsWith("ERR value is not an integer", StringComparison.Ordinal) => ErrorKind.Client,
        LeanServerException => ErrorKind.Server,
        RedisConnectionException or SocketException or IOException or ObjectDisposedException => ErrorKind.Connection,
        RedisServerException e when e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal) || e.Message.StartsWith("ERR value is not an integer", StringComparison.Ordinal) => ErrorKind.Client,
        RedisServerException => ErrorKind.Server,
        RedisCommandException => ErrorKind.Client,
        _ => ErrorKind.Other,
    };

    public async Task PreloadAsync(WorkloadContext workload, DataDefinition data, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var db = _databases[0];
        var batchSize = data.PreloadBatch;
        for (long first = 0; first < data.Keys; first += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min(batchSize, data.Keys - first);
            var pairs = new KeyValuePair<RedisKey, RedisValue>[count];
            for (var i = 0; i < count; i++)
            {
                var random = new OperationRandom(workload.Seed, first + i);
                pairs[i] = new(workload.Key(first + i), workload.Values.Next(ref random));
            }

            var writes = new List<Task> { db.StringSetAsync(pairs) };
            for (var i = 0; i < count && _hashFields > 0; i++)
            {
                var random = new OperationRandom(workload.Seed ^ 0x4A5, first + i);
                writes.Add(db.HashSetAsync(workload.Key(first + i) + ":h", RedisOperations.HashFields(workload, _hashFields, ref random)));
            }

            await Task.WhenAll(writes);
            progress.Report(first + count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Lean is not null)
        {
            await Lean.DisposeAsync();
        }

        // Entries stay null when connecting failed part-way.
        foreach (var c in _connections.Where(c => c is not null))
        {
            await c.DisposeAsync();
        }

        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
