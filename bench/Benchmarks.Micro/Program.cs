using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;

// Artifacts under reports/micro; the full JSON export is what machines (the regression gate) read.
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddExporter(JsonExporter.Full)
    .WithArtifactsPath(Path.Combine("reports", "micro"));
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToList();

// Listing, help and version run no benchmark by design: that is success, not a failed run.
string[] nothingToRun = ["--list", "--help", "-h", "-?", "--version", "--info"];
if (summaries.Count == 0 && args.Any(a => nothingToRun.Contains(a, StringComparer.Ordinal)))
{
    return 0;
}

// A benchmark that could not run is a failure, not a missing row: the dry mode in CI relies on it.
var failed = summaries.Where(s => s.HasCriticalValidationErrors || s.ValidationErrors.Any(v => v.IsCritical) || s.Reports.Length == 0 || s.Reports.Any(r => !r.Success))
    .Select(s => s.Title).ToList();
foreach (var title in failed)
{
    Console.Error.WriteLine($"benchmarks failed: {title}");
}

return failed.Count == 0 && summaries.Count > 0 ? 0 : 1;
