using System.Globalization;
using Npgsql;

namespace Benchmarks.Stores.Relational.Postgres.Lean;

/// <summary>How the lean client meets the server's TLS: libpq's <c>sslmode</c> values, as Npgsql's connection string spells them.</summary>
internal enum LeanPgTls
{
    /// <summary>Plain TCP.</summary>
    Disable,

    /// <summary>TLS when the server offers it, its certificate not checked (libpq's <c>prefer</c>, Npgsql's default).</summary>
    Prefer,

    /// <summary>TLS or no connection, the certificate not checked (libpq's <c>require</c>).</summary>
    Require,

    /// <summary>TLS with a certificate the machine trusts, whatever host it names.</summary>
    VerifyCa,

    /// <summary>TLS with a trusted certificate for the host connected to.</summary>
    VerifyFull,
}

/// <summary>
/// Where and how the lean client connects, read from the scenario's connection string by Npgsql's own parser so that
/// both clients understand a string alike. The password stays in this record; <see cref="ToString"/> leaves it out.
/// </summary>
internal sealed record LeanPgEndpoint(string Host, int Port, string Database, string User, string? Password, LeanPgTls Tls, TimeSpan ConnectTimeout, TimeSpan CommandTimeout)
{
    /// <summary>
    /// What in <paramref name="connectionString"/> the lean client does not do, in words that repeat no value; null when
    /// it can connect as Npgsql would.
    /// </summary>
    public static string? Problem(string connectionString)
    {
        NpgsqlConnectionStringBuilder options;
        try
        {
            options = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // Malformed: the connection's own check says so, once.
            return null;
        }

        if (options.Host is { } host && host.Contains(',', StringComparison.Ordinal))
        {
            return "the lean client connects to one host; this connection string names several";
        }

        if (options.Host is { } socketFolder && socketFolder.StartsWith('/'))
        {
            return "the lean client connects over TCP; this connection string names a Unix socket folder";
        }

        if (!string.IsNullOrEmpty(options.RootCertificate) || !string.IsNullOrEmpty(options.SslCertificate) || !string.IsNullOrEmpty(options.SslKey))
        {
            return "the lean client checks certificates against the machine's trust store and sends none of its own; this connection string names certificate files";
        }

        if (!string.IsNullOrEmpty(options.Passfile))
        {
            return "the lean client takes its password from the connection string or PGPASSWORD; this connection string names a passfile";
        }

        return null;
    }

    public static LeanPgEndpoint From(string connectionString, TimeSpan connectTimeout, TimeSpan commandTimeout)
    {
        var options = new NpgsqlConnectionStringBuilder(connectionString);
        var tls = options.SslMode switch
        {
            SslMode.Disable or SslMode.Allow => LeanPgTls.Disable,
            SslMode.Prefer => LeanPgTls.Prefer,
            SslMode.Require => LeanPgTls.Require,
            SslMode.VerifyCA => LeanPgTls.VerifyCa,
            _ => LeanPgTls.VerifyFull,
        };
        var user = options.Username ?? Environment.GetEnvironmentVariable("PGUSER") ?? Environment.UserName;
        return new LeanPgEndpoint(
            options.Host!,
            options.Port,
            options.Database ?? user,
            user,
            options.Password ?? Environment.GetEnvironmentVariable("PGPASSWORD"),
            tls,
            connectTimeout,
            commandTimeout);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}/{Database}");
}

/// <summary>An ErrorResponse from the server: its SQLSTATE and primary message (the detail, which may quote values, is left out).</summary>
internal sealed class LeanPgServerException(string sqlState, string message) : Exception($"{sqlState}: {message}")
{
    public string SqlState { get; } = sqlState;
}

/// <summary>The connection is gone or unusable: refused, reset, closed by the server, or a protocol step the lean client does not speak.</summary>
internal sealed class LeanPgConnectionException(string message, Exception? inner = null) : IOException(message, inner);
