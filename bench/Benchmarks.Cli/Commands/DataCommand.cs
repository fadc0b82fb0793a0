using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Benchmarks.Stores.Analytics.DuckDb;
using Benchmarks.Stores.Analytics.Events;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

/// <summary><c>bench data generate</c>: writes the synthetic events data set as Parquet (the same files a scenario's preload writes).</summary>
internal static class DataCommand
{
    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var rows = new Option<long>("--rows") { Description = "events to write", DefaultValueFactory = _ => 1_000_000 };
        var users = new Option<long?>("--users") { Description = "distinct users (default: rows / 100)" };
        var days = new Option<int>("--days") { Description = "days before the anchor the events spread over", DefaultValueFactory = _ => 90 };
        var share = new Option<double>("--purchase-share") { Description = "share of purchase events", DefaultValueFactory = _ => 0.03 };
        var fileRows = new Option<long>("--file-rows") { Description = "rows per Parquet file", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<ulong>("--seed") { Description = "the same seed writes the same data", DefaultValueFactory = _ => 42 };
        var anchor = new Option<string>("--anchor") { Description = "the last instant of the data, e.g. 2026-01-01T00:00:00", DefaultValueFactory = _ => "2026-01-01T00:00:00" };
        var threads = new Option<int>("--threads") { Description = "DuckDB worker threads (0: one per core)", DefaultValueFactory = _ => 0 };
        var memory = new Option<string>("--memory-limit") { Description = "DuckDB memory limit, e.g. 4GB (default: DuckDB's)", DefaultValueFactory = _ => "" };
        var output = new Option<string>("--out") { Description = "folder to write events-NNNNN.parquet into (its old events files are replaced)", Required = true };
        var generate = new Command("generate", "write the synthetic raw-events data set (user_id, event_type, duration, event_time, target) as Parquet with DuckDB")
        {
            rows, users, days, share, fileRows, seed, anchor, threads, memory, output,
        };
        generate.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var r = parse.GetValue(rows);
            var u = parse.GetValue(users) ?? Math.Max(1, r / 100);
            if (r < 1) problems.Add("--rows must be at least 1");
            if (u < 1 || u > r) problems.Add($"--users must be from 1 to --rows ({r})");
            if (parse.GetValue(days) < 1) problems.Add("--days must be at least 1");
            if (parse.GetValue(share) is < 0 or > 0.7) problems.Add("--purchase-share must be from 0 to 0.7");
            if (parse.GetValue(fileRows) < 1000) problems.Add("--file-rows must be at least 1000");
            if (!DateTime.TryParse(parse.GetValue(anchor), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)) problems.Add($"--anchor '{parse.GetValue(anchor)}' is not a date and time (e.g. 2026-01-01T00:00:00)");
            if (problems.Count > 0)
            {
                foreach (var p in problems)
                {
                    await error.WriteLineAsync($"error: {p}");
                }

                return ExitCodes.BadInput;
            }

            var data = new EventsDataSet(r, u, parse.GetValue(days), parse.GetValue(share), parse.GetValue(fileRows),
                DateTime.SpecifyKind(at, DateTimeKind.Unspecified), parse.GetValue(seed));
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var clock = Stopwatch.StartNew();
            await EventsGenerator.GenerateAsync(data, folder, new DuckDbOptions(parse.GetValue(threads), parse.GetValue(memory)!),
                new Progress<long>(done => console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  {done:N0}/{r:N0} rows")), cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            var bytes = Directory.GetFiles(folder, "events-*.parquet").Sum(f => new FileInfo(f).Length);
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"[green]wrote[/] {r:N0} events of {u:N0} users over {data.Days} days before {data.AnchorLiteral} in {data.Files} files ({bytes / 1048576.0:N1} MiB) to {folder} in {seconds:0.00} s: {r / seconds:N0} rows/s");
            return ExitCodes.Passed;
        });
        return new Command("data", "data sets for the analytics scenarios") { generate };
    }
}
