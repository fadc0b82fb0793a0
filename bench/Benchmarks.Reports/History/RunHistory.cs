using System.Diagnostics;
using System.Globalization;
using Benchmarks.Core.Results;
using DuckDB.NET.Data;

namespace Benchmarks.Reports.History;

/// <summary>One run as the history keeps it: what ran where, the rate, the total's and each operation's percentiles, the verdicts.</summary>
public sealed record HistoryRun(
    long Sequence,
    string Scenario,
    DateTimeOffset StartTime,
    string? Commit,
    string HarnessVersion,
    string Machine,
    int Cores,
    string Status,
    double? TargetRate,
    double AchievedRate,
    string? ResultPath,
    IReadOnlyList<HistoryOperation> Operations,
    IReadOnlyList<HistoryVerdict> Verdicts)
{
    /// <summary>The total (all operations of the mix); every run has it.</summary>
    public HistoryOperation Total => Operations.Single(o => o.Name == "total");
}

/// <summary>An operation's figures (ms, corrected: from the intended start).</summary>
public sealed record HistoryOperation(string Name, long Count, long Errors, double Throughput, double P50, double P90, double P99, double P999, double Max);

public sealed record HistoryVerdict(string Threshold, string Verdict, double Measured, string Unit);

/// <summary>
/// Every run appended to one DuckDB file (<c>bench run --history FILE</c>): a table of runs, one of their operations'
/// percentiles and one of their SLA verdicts, keyed by the run's sequence number. An embedded database, so a CI job
/// keeps the file as an artifact or cache and any SQL tool (DuckDB's CLI, Python) reads it as well as <c>bench history</c>.
/// </summary>
public static class RunHistory
{
    private const string Schema = """
        CREATE SEQUENCE IF NOT EXISTS run_sequence START 1;
        CREATE TABLE IF NOT EXISTS runs (
            sequence BIGINT PRIMARY KEY, scenario VARCHAR NOT NULL, start_time TIMESTAMPTZ NOT NULL, git_commit VARCHAR,
            harness_version VARCHAR NOT NULL, machine VARCHAR NOT NULL, cores INTEGER NOT NULL, os VARCHAR NOT NULL, runtime VARCHAR NOT NULL,
            store VARCHAR NOT NULL, executor VARCHAR NOT NULL, status VARCHAR NOT NULL,
            target_rate DOUBLE, achieved_rate DOUBLE NOT NULL, duration_s DOUBLE NOT NULL, result_path VARCHAR);
        CREATE TABLE IF NOT EXISTS operations (
            sequence BIGINT NOT NULL, operation VARCHAR NOT NULL, count BIGINT NOT NULL, errors BIGINT NOT NULL, throughput DOUBLE NOT NULL,
            p50_ms DOUBLE NOT NULL, p90_ms DOUBLE NOT NULL, p99_ms DOUBLE NOT NULL, p999_ms DOUBLE NOT NULL, max_ms DOUBLE NOT NULL);
        CREATE TABLE IF NOT EXISTS verdicts (
            sequence BIGINT NOT NULL, threshold VARCHAR NOT NULL, verdict VARCHAR NOT NULL, measured DOUBLE NOT NULL, unit VARCHAR NOT NULL);
        """;

    /// <summary>The commit the run measured: CI's variables first (GitHub, Azure Pipelines, GitLab), then the checkout the command ran in.</summary>
    public static string? CurrentCommit()
    {
        foreach (var variable in new[] { "GITHUB_SHA", "BUILD_SOURCEVERSION", "CI_COMMIT_SHA" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } sha)
            {
                return sha;
            }
        }

        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null)
            {
                return null;
            }

            var sha = git.StandardOutput.ReadToEnd().Trim();
            return git.WaitForExit(5000) && git.ExitCode == 0 && sha.Length > 0 ? sha : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }

    /// <summary>Appends <paramref name="result"/> (creating the file and its tables the first time) and returns its sequence number.</summary>
    public static long Append(string file, RunResult result, string? resultPath, string? commit)
    {
        using var connection = Open(file);
        using var transaction = connection.BeginTransaction();
        var sequence = Convert.ToInt64(Scalar(connection, "SELECT nextval('run_sequence')"), CultureInfo.InvariantCulture);
        var env = result.Environment;
        Execute(connection, "INSERT INTO runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            sequence, result.Scenario.Name, result.StartTime.UtcDateTime, commit, env.HarnessVersion, env.Machine, env.Cores, env.Os, env.Runtime,
            result.Scenario.Store, result.Load.Executor, result.Status, result.Load.TargetRatePerSecond, result.Load.AchievedRatePerSecond,
            result.DurationSeconds, resultPath);
        foreach (var o in result.Operations.Append(result.Total))
        {
            var c = o.Latency.Corrected;
            Execute(connection, "INSERT INTO operations VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                sequence, o.Name, o.Count, o.Errors.Total, o.ThroughputPerSecond, c.P50, c.P90, c.P99, c.P999, c.Max);
        }

        foreach (var v in result.Sla)
        {
            Execute(connection, "INSERT INTO verdicts VALUES ($1, $2, $3, $4, $5)", sequence, v.Threshold, v.Verdict, v.Measured, v.Unit);
        }

        transaction.Commit();
        return sequence;
    }

    /// <summary>The last <paramref name="last"/> runs of <paramref name="scenario"/>, oldest first.</summary>
    public static IReadOnlyList<HistoryRun> Read(string file, string scenario, int last)
    {
        using var connection = Open(file);
        var runs = new List<HistoryRun>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT sequence, scenario, start_time, git_commit, harness_version, machine, cores, status, target_rate, achieved_rate, result_path
                FROM (SELECT * FROM runs WHERE scenario = $1 ORDER BY sequence DESC LIMIT $2) ORDER BY sequence
                """;
            command.Parameters.Add(new DuckDBParameter(scenario));
            command.Parameters.Add(new DuckDBParameter(last));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                runs.Add(new HistoryRun(reader.GetInt64(0), reader.GetString(1), new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6), reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetDouble(8), reader.GetDouble(9), reader.IsDBNull(10) ? null : reader.GetString(10), [], []));
            }
        }

        return [.. runs.Select(r => r with { Operations = Operations(connection, r.Sequence), Verdicts = Verdicts(connection, r.Sequence) })];
    }

    /// <summary>The scenarios the file has runs of, with how many each.</summary>
    public static IReadOnlyList<(string Scenario, long Runs)> Scenarios(string file)
    {
        using var connection = Open(file);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT scenario, count(*) FROM runs GROUP BY scenario ORDER BY scenario";
        using var reader = command.ExecuteReader();
        var list = new List<(string, long)>();
        while (reader.Read())
        {
            list.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return list;
    }

    private static List<HistoryOperation> Operations(DuckDBConnection connection, long sequence) => Rows(connection,
        "SELECT operation, count, errors, throughput, p50_ms, p90_ms, p99_ms, p999_ms, max_ms FROM operations WHERE sequence = $1 ORDER BY rowid", sequence,
        r => new HistoryOperation(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7), r.GetDouble(8)));

    private static List<HistoryVerdict> Verdicts(DuckDBConnection connection, long sequence) => Rows(connection,
        "SELECT threshold, verdict, measured, unit FROM verdicts WHERE sequence = $1 ORDER BY rowid", sequence,
        r => new HistoryVerdict(r.GetString(0), r.GetString(1), r.GetDouble(2), r.GetString(3)));

    /// <summary>The rows one run has in a table, in the order they were appended.</summary>
    private static List<T> Rows<T>(DuckDBConnection connection, string sql, long sequence, Func<System.Data.IDataRecord, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter(sequence));
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(read(reader));
        }

        return list;
    }

    private static DuckDBConnection Open(string file)
    {
        var connection = new DuckDBConnection($"Data Source={file}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
        return connection;
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(DuckDBConnection connection, string sql, params object?[] values)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var value in values)
        {
            command.Parameters.Add(new DuckDBParameter(value ?? DBNull.Value));
        }

        command.ExecuteNonQuery();
    }
}
