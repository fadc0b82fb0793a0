using Benchmarks.Cli.Launch;

if (RuntimeRelaunch.RunRelaunched(args) is { } exitCode)
{
    return exitCode;
}

return await Benchmarks.Cli.Bench.RunAsync(args);
