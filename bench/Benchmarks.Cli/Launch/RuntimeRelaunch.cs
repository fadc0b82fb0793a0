using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Benchmarks.Cli.Launch;

/// <summary>
/// Starts the commands that generate load (<c>run</c>, <c>client-overhead</c>) in a second process with the runtime
/// settings of <see cref="Settings"/>, and waits for it, passing on its exit code and the signals sent to this one. The
/// runtime reads these settings only from the environment, before any managed code runs, hence the second process.
/// A setting the user made (any value) is kept; when the user made them all, nothing is relaunched.
/// Linux only: the machines whose caches are hidden are Linux VMs and containers, and the signal hand-over is POSIX's.
/// </summary>
internal static class RuntimeRelaunch
{
    /// <summary>
    /// The garbage collector's generation-0 budget: the runtime sizes it from the CPU caches the operating system reports;
    /// a VM that hides them (no <c>/sys/devices/system/cpu/cpu0/cache</c>, as on the 2-core VMs this harness is measured
    /// on) gets a collection every ~2 MB allocated: 17–36 per second under the registry lookup's closed loop, each stopping
    /// every thread. With 64 MB the lookup spent 2.5 µs less CPU at 4 clients (docs/performance.md, "The garbage
    /// collector's budget").
    /// </summary>
    internal static readonly RuntimeSetting Gen0Budget = new("DOTNET_GCgen0size", "0x4000000");

    /// <summary>
    /// The framework's precompiled (ReadyToRun) code, off: with tiered compilation off (no recompilation in a measured
    /// window), the runtime would otherwise run the framework's methods — sockets, tasks, collections, the client
    /// libraries' calls into them — as precompiled for any x64 machine, never inlined across assemblies, for the whole
    /// run. Off, the JIT compiles each for this machine once, at its first call (in the warm-up): the registry lookup spent
    /// ~2 µs less CPU per lookup at 1 client (1.3 µs on average at 4), for ~1 s more start-up (docs/performance.md,
    /// "Precompiled code").
    /// </summary>
    internal static readonly RuntimeSetting PrecompiledCode = new(Benchmarks.Core.Running.EnvironmentProbe.ReadyToRunVariable, "0");

    internal static readonly RuntimeSetting[] Settings = [Gen0Budget, PrecompiledCode];

    // Marks the relaunched process with its launcher's id, and lists the settings bench made (not the user's): the
    // relaunched process removes those from its own environment, so that the servers it starts (an embedded
    // garnet-server is a .NET process too) run as the runtime runs them, not with the generator's settings.
    private const string Launcher = "BENCH_RELAUNCHED_BY";
    private const string SetByBench = "BENCH_RELAUNCH_SETTINGS";

    private static readonly string[] LoadCommands = ["run", "client-overhead"];

    // The signals a terminal, a CI runner or `kill` sends to stop a program; each is passed on to the relaunched process.
    private static readonly (PosixSignal Signal, int Number)[] Forwarded =
        [(PosixSignal.SIGINT, 2), (PosixSignal.SIGQUIT, 3), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1)];

    /// <summary>The relaunched process's exit code, or null when this process runs the command itself.</summary>
    internal static int? RunRelaunched(string[] args)
    {
        if (Environment.GetEnvironmentVariable(Launcher) is { } launcher)
        {
            ForgetSettingsMadeByBench();
            DieWithLauncher(launcher);
            return null;
        }

        var wanted = Wanted(args, OperatingSystem.IsLinux(), Environment.GetEnvironmentVariable);
        if (wanted.Count == 0 || Start(args, wanted) is not { } relaunched)
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

    /// <summary>The settings to relaunch with: for a load-generating command on Linux, those the user has not made.</summary>
    internal static IReadOnlyList<RuntimeSetting> Wanted(string[] args, bool linux, Func<string, string?> environment) =>
        linux && args.Length > 0 && LoadCommands.Contains(args[0], StringComparer.Ordinal)
            ? Settings.Where(s => environment(s.Variable) is null).ToArray()
            : [];

    private static Process? Start(string[] args, IReadOnlyList<RuntimeSetting> settings)
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

        foreach (var setting in settings)
        {
            start.Environment[setting.Variable] = setting.Value;
        }

        start.Environment[Launcher] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[SetByBench] = string.Join(',', settings.Select(s => s.Variable));
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
    /// Removes the settings bench made from this process's environment (the runtime has read them), keeping each as
    /// <see cref="AppContext"/> data under its own name: the run's result reports the settings it ran with
    /// (<c>Core/Running/EnvironmentProbe</c>).
    /// </summary>
    private static void ForgetSettingsMadeByBench()
    {
        foreach (var variable in (Environment.GetEnvironmentVariable(SetByBench) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            AppContext.SetData(variable, Environment.GetEnvironmentVariable(variable));
            Environment.SetEnvironmentVariable(variable, null);
        }

        Environment.SetEnvironmentVariable(Launcher, null);
        Environment.SetEnvironmentVariable(SetByBench, null);
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

/// <summary>An environment variable the runtime reads at start-up, and the value bench runs its load with.</summary>
internal sealed record RuntimeSetting(string Variable, string Value);
