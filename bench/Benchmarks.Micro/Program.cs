using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;

// Artifacts under reports/micro; the full JSON export is what machines (the regression gate) read.
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddExporter(JsonExporter.Full)
    .WithArtifactsPath(Path.Combine("reports", "micro"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
