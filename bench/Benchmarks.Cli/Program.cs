using Benchmarks.Cli.Launch;

if (Gen0Budget.RunRelaunched(args) is { } exitCode)
{
    return exitCode;
}

return await Benchmarks.Cli.Bench.RunAsync(args);
