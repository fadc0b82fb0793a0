using System.Text.Json;

namespace Benchmarks.Reports.Micro;

/// <summary>One benchmark case of a BenchmarkDotNet full JSON export: its per-iteration times (ns/op) and allocation.</summary>
public sealed record MicroBenchmark(string Key, string Display, double MeanNs, double MedianNs, double[] SamplesNs, double? AllocatedBytes);

/// <summary>Reads BenchmarkDotNet's full JSON export (never its Markdown): the measurements the gate tests.</summary>
public static class MicroBenchmarkResults
{
    /// <summary>True when the file is a BenchmarkDotNet full JSON export rather than a bench result.json.</summary>
    public static bool IsBenchmarkDotNetJson(string path)
    {
        if (!File.Exists(path) || !path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("Benchmarks", out var b) && b.ValueKind == JsonValueKind.Array
                && doc.RootElement.TryGetProperty("HostEnvironmentInfo", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static (string Title, IReadOnlyList<MicroBenchmark> Benchmarks) Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        var title = root.TryGetProperty("Title", out var t) ? t.GetString() ?? Path.GetFileName(path) : Path.GetFileName(path);
        var list = new List<MicroBenchmark>();
        foreach (var b in root.GetProperty("Benchmarks").EnumerateArray())
        {
            var parameters = b.TryGetProperty("Parameters", out var p) ? p.GetString() ?? "" : "";
            var fullName = b.GetProperty("FullName").GetString() ?? "?";
            var key = parameters.Length > 0 ? $"{fullName}({parameters})" : fullName;
            var method = b.TryGetProperty("MethodTitle", out var m) ? m.GetString() ?? fullName : fullName;
            var display = $"{b.GetProperty("Type").GetString()}.{method.Trim('\'')}{(parameters.Length > 0 ? $" [{parameters}]" : "")}";
            if (!b.TryGetProperty("Statistics", out var stats) || stats.ValueKind != JsonValueKind.Object)
            {
                continue; // a benchmark that failed has no statistics
            }

            var samples = Samples(b, stats);
            double? allocated = b.TryGetProperty("Memory", out var memory) && memory.ValueKind == JsonValueKind.Object
                && memory.TryGetProperty("BytesAllocatedPerOperation", out var bytes) && bytes.ValueKind == JsonValueKind.Number
                ? bytes.GetDouble() : null;
            list.Add(new MicroBenchmark(key, display, stats.GetProperty("Mean").GetDouble(), stats.GetProperty("Median").GetDouble(), samples, allocated));
        }

        return (title, list);
    }

    /// <summary>Per-iteration ns/op of the actual workload iterations, as BenchmarkDotNet's own statistics use.</summary>
    private static double[] Samples(JsonElement benchmark, JsonElement stats)
    {
        if (stats.TryGetProperty("OriginalValues", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            return [.. values.EnumerateArray().Select(v => v.GetDouble())];
        }

        return benchmark.TryGetProperty("Measurements", out var measurements)
            ? [.. measurements.EnumerateArray()
                .Where(x => x.GetProperty("IterationMode").GetString() == "Workload" && x.GetProperty("IterationStage").GetString() == "Actual")
                .Select(x => x.GetProperty("Nanoseconds").GetDouble() / Math.Max(1, x.GetProperty("Operations").GetDouble()))]
            : [];
    }
}
