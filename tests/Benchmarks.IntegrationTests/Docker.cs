namespace Benchmarks.IntegrationTests;

/// <summary>
/// Whether a Docker engine answers here. Tests that need one skip with <see cref="SkipReason"/> where
/// none runs; run.ps1 does not count those skips as holes in CI, because these machines have no engine.
/// </summary>
internal static class Docker
{
    /// <summary>run.ps1 recognises Docker skips by this prefix.</summary>
    public const string SkipReason = "needs a Docker engine: none answers on this machine (docker info fails), so Testcontainers cannot start the server's container here";

    public static bool EngineAvailable { get; } = Probe();

    private static bool Probe()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
