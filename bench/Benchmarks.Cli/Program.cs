return await Benchmarks.Cli.Bench.RunAsync(args);
