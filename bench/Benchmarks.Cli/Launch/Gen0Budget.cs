using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Benchmarks.Cli.Launch;

/// <summary>
/// Starts the commands that generate load (<c>run</c>, <c>client-overhead</c>) in a second process whose garbage collector
/// has a 64 MB generation-0 budget (<c>DOTNET_GCgen0size</c>), and waits for it, passing on its exit code and the signals
/// sent to this one. The runtime sizes that budget from the CPU caches the operating system reports; a VM that hides them
/// (no <c>/sys/devices/system/cpu/cpu0/cache</c>, as on the 2-core VMs this harness is measured on) gets a collection
/// every ~2 MB allocated: 17–36 per second under the registry lookup's closed loop, each stopping every thread. With the budget, the registry lookup
/// spent 2.5 µs less CPU per lookup at 4 clients (docs/performance.md, "The garbage collector's budget"). The runtime
/// reads the setting only from the environment, before any managed code runs, hence the second process.
/// A budget the user sets (any value; <c>0</c> is the runtime's own choice) is kept and nothing is relaunched.
/// Linux only: the machines whose caches are hidden are Linux VMs and containers.
/// </summary>
internal static class Gen0Budget
{
    internal const string Variable = "DOTNET_GCgen0size";
    internal const string Bytes = "0x4000000";

    // Marks the relaunched process, which then removes the budget from its own environment: the servers it starts (an
    // embedded garnet-server is a .NET process too) must run as the runtime sizes them, not with the generator's setting.
    private const string SetByBench = "BENCH_GEN0_BUDGET_SET";

    private static readonly string[] LoadCommands = ["run", "client-overhead"];

    // The signals a terminal, a CI runner or `kill` sends to stop a program; each is passed on to the relaunched process.
    private static readonly (PosixSignal Signal, int Number)[] Forwarded =
        [(PosixSignal.SIGINT, 2), (PosixSignal.SIGQUIT, 3), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1)];

    /// <summary>The relaunched process's exit code, or null when this process runs the command itself.</summary>
    internal static int? RunRelaunched(string[] args)
    {
        if (Environment.GetEnvironmentVariable(SetByBench) is { } launcher)
        {
            Environment.SetEnvironmentVariable(Variable, null);
            Environment.SetEnvironmentVariable(SetByBench, null);
            DieWithLauncher(launcher);
            return null;
        }

        if (!Wanted(args, OperatingSystem.IsLinux(), Environment.GetEnvironmentVariable(Variable)) || Start(args) is not { } relaunched)
        {
            return null;
        }

        using (relaunched)
        {
            var registrations = Forwarded.Select(s => PosixSignalRegistration.Create(s.Signal, context =>
            {
                // This process stays until the relaunched one has exited, so that a caller waiting on it sees the real exit code.
                context.Cancel = true;
                _ = Kill(relaunched.Id, s.Number);
            })).ToArray();
            relaunched.WaitForExit();
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }

            return relaunched.ExitCode;
        }
    }

    /// <summary>Whether to relaunch: a load-generating command, on Linux, with no budget set by the user.</summary>
    internal static bool Wanted(string[] args, bool linux, string? userSetting) =>
        linux && userSetting is null && args.Length > 0 && LoadCommands.Contains(args[0], StringComparer.Ordinal);

    private static Process? Start(string[] args)
    {
        if (Environment.ProcessPath is not { } program)
        {
            return null;
        }

        var start = new ProcessStartInfo(program) { UseShellExecute = false };
        // Run as `dotnet bench.dll ...` (a local tool, `dotnet <dll>`): the host needs the assembly again.
        if (Path.GetFileNameWithoutExtension(program) == "dotnet" && System.Reflection.Assembly.GetEntryAssembly()?.Location is { Length: > 0 } assembly)
        {
            start.ArgumentList.Add(assembly);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[Variable] = Bytes;
        start.Environment[SetByBench] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            return Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// A launching process killed outright (SIGKILL: an out-of-memory killer, a CI runner's time-out, a test) cannot pass
    /// the signal on; the kernel then kills this one too (<c>PR_SET_PDEATHSIG</c>), as it would have killed bench had it
    /// run in one process. If the launcher is already gone, this process ends at once.
    /// </summary>
    private static void DieWithLauncher(string launcher)
    {
        const int SetParentDeathSignal = 1;
        const int SigKill = 9;
        _ = SetProcessOption(SetParentDeathSignal, SigKill, 0, 0, 0);
        if (GetParentProcessId().ToString(System.Globalization.CultureInfo.InvariantCulture) != launcher)
        {
            Environment.Exit(137);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int SetProcessOption(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentProcessId();
}
