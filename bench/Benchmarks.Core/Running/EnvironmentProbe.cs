using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;

namespace Benchmarks.Core.Running;

public static class EnvironmentProbe
{
    public static string HarnessVersion =>
        typeof(EnvironmentProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static EnvironmentInfo Describe(StoreInfo store) => new(
        Environment.MachineName,
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        HarnessVersion,
        GCSettings.IsServerGC,
        store.ClientLibrary,
        store.ClientVersion,
        store.ServerName,
        store.ServerVersion)
    {
        GcGen0MaxBudgetBytes = GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var budget) ? Convert.ToInt64(budget, System.Globalization.CultureInfo.InvariantCulture) : 0,
    };
}
