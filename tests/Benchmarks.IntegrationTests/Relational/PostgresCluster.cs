using Benchmarks.Stores.Relational.Postgres;

namespace Benchmarks.IntegrationTests.Relational;

/// <summary>One throwaway PostgreSQL cluster for a test class, from the machine's server binaries.</summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private LocalPostgres? _server;

    public const string Install = "sudo apt-get install -y postgresql (Debian/Ubuntu)";

    /// <summary>Null when the binaries are missing; tests then call <see cref="Require"/>.</summary>
    public string? ConnectionString => _server?.ConnectionString;

    public string Require() => ConnectionString ?? Unavailable();

    private static string Unavailable()
    {
        Requirements.Unavailable("PostgreSQL server binaries (postgres, initdb)", Install);
        return "";
    }

    public async ValueTask InitializeAsync()
    {
        if (LocalPostgres.FindBinaries() is not null)
        {
            _server = await LocalPostgres.StartAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
