// Every bench command, run by this program: its scenarios name the flows of this assembly by type.
//   dotnet run --project samples/RegistryFlows -c Release -- run samples/RegistryFlows/registry-cache-aside.yaml
return await Benchmarks.Cli.Bench.RunAsync(args);
