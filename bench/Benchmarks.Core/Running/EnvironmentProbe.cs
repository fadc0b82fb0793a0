using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;

namespace Benchmarks.Core.Running;

public static class EnvironmentProbe
{
    /// <summary>The runtime's switch for the framework's precompiled code (<c>0</c>: off), which the result reports.</summary>
    public const string ReadyToRunVariable = "DOTNET_ReadyToRun";

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
        ReadyToRun = !IsZero(StartedWith(ReadyToRunVariable)),
    };

    /// <summary>
    /// A runtime setting as this process started with it: <c>bench run</c> relaunches itself with settings the runtime
    /// reads only at start-up, then removes them from its environment (the servers it starts must not inherit them) and
    /// keeps them as <see cref="AppContext"/> data under the same name (<c>Cli/Launch/RuntimeRelaunch</c>).
    /// </summary>
    private static string? StartedWith(string variable) =>
        AppContext.GetData(variable) as string ?? Environment.GetEnvironmentVariable(variable);

    // The runtime reads its DWORD settings as hexadecimal numbers, with or without "0x": "0", "00" and "0x0" all turn a setting off.
    private static bool IsZero(string? value)
    {
        var digits = value?.Trim() ?? "";
        digits = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? digits[2..] : digits;
        return ulong.TryParse(digits, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var number) && number == 0;
    }
}
