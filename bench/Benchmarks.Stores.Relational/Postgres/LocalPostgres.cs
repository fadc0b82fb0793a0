using System.Diagnostics;
using System.Globalization;
using Benchmarks.Core.Stores;
using Npgsql;

namespace Benchmarks.Stores.Relational.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's server binaries (Debian's <c>postgresql</c>
/// package): initdb into a temporary folder, the postmaster in the foreground on a free loopback
/// port (no Unix socket outside that folder), ready when a connection opens, and the folder removed
/// when disposed. As root, the server runs as user <c>postgres</c>, because PostgreSQL refuses root.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    public const string InstallHint = "install PostgreSQL's server binaries (Debian/Ubuntu: sudo apt-get install -y postgresql), or give a connection string";

    private readonly LocalServerProcess _server;
    private readonly string _directory;

    private readonly string _bin;
    private readonly bool _asRoot;

    private LocalPostgres(LocalServerProcess server, string directory, string version, string bin, bool asRoot)
    {
        _server = server;
        _directory = directory;
        Version = version;
        _bin = bin;
        _asRoot = asRoot;
    }

    public int Port => _server.Port;

    /// <summary>The postgres process (and its backends), for scripted faults.</summary>
    public LocalServerProcess Server => _server;

    public string Version { get; }

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture,
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres");

    /// <summary>The bin folder of the newest PostgreSQL installed, or null.</summary>
    public static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("BENCH_PG_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "postgres")) ? configured : null;
        }

        const string Debian = "/usr/lib/postgresql";
        if (Directory.Exists(Debian))
        {
            var newest = Directory.GetDirectories(Debian)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "postgres")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return newest.Dir;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .FirstOrDefault(p => p.Length > 0 && File.Exists(Path.Combine(p, "postgres")) && File.Exists(Path.Combine(p, "initdb")));
    }

    public static async Task<LocalPostgres> StartAsync(CancellationToken cancellationToken)
    {
        var bin = FindBinaries() ?? throw new StoreUnavailableException($"PostgreSQL server binaries (postgres, initdb) were not found; {InstallHint}");
        var asRoot = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        var directory = Directory.CreateTempSubdirectory("bench-pg-").FullName;
        try
        {
            if (asRoot)
            {
                await RunAsync("chown", ["postgres", directory], TimeSpan.FromSeconds(10), cancellationToken);
            }

            var data = Path.Combine(directory, "data");
            await RunAsync(Command(asRoot, Path.Combine(bin, "initdb")),
                [.. Prefix(asRoot, Path.Combine(bin, "initdb")), "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"],
                TimeSpan.FromSeconds(120), cancellationToken);

            var port = LocalServerProcess.FreeLoopbackPort();
            var postgres = Path.Combine(bin, "postgres");
            var start = new ProcessStartInfo(Command(asRoot, postgres));
            foreach (var argument in (string[])[.. Prefix(asRoot, postgres), "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture),
                "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={directory}", "-c", "max_connections=300"])
            {
                start.ArgumentList.Add(argument);
            }

            var server = await LocalServerProcess.StartAsync("postgres", start, port, ReadyAsync, TimeSpan.FromSeconds(60), cancellationToken);
            var version = await File.ReadAllTextAsync(Path.Combine(data, "PG_VERSION"), cancellationToken);
            return new LocalPostgres(server, directory, version.Trim(), bin, asRoot);
        }
        catch
        {
            Remove(directory);
            throw;
        }
    }

    private static string Command(bool asRoot, string program) => asRoot ? "runuser" : program;

    private static string[] Prefix(bool asRoot, string program) => asRoot ? ["-u", "postgres", "--", program] : [];

    private static async Task<bool> ReadyAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(string.Create(CultureInfo.InvariantCulture,
                $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=2;Pooling=false"));
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new StoreUnavailableException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new StoreUnavailableException($"{Path.GetFileName(arguments.LastOrDefault(a => a.Contains('/', StringComparison.Ordinal)) ?? program)} did not finish in {timeout.TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new StoreUnavailableException($"starting the local PostgreSQL failed: {program} {string.Join(' ', arguments.Take(4))}... exited with {process.ExitCode}: {(await errors).Trim()} {(await output).Trim()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A fast shutdown first: a killed postmaster leaves its shared memory segment behind.
        var pgCtl = Path.Combine(_bin, "pg_ctl");
        try
        {
            await RunAsync(Command(_asRoot, pgCtl), [.. Prefix(_asRoot, pgCtl), "stop", "-D", Path.Combine(_directory, "data"), "-m", "fast", "-w", "-t", "20"],
                TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // Killed below instead.
        }

        await _server.DisposeAsync();
        Remove(_directory);
    }

    private static void Remove(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder; never worth failing a run over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
