namespace Benchmarks.IntegrationTests;

/// <summary>
/// What an integration test needs from the machine. Outside CI a missing server skips the test with
/// the command that installs it; in CI (CI=true) it fails: a skipped integration test there is a hole.
/// </summary>
internal static class Requirements
{
    public static bool InCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && !ci.Equals("false", StringComparison.OrdinalIgnoreCase);

    public static void Unavailable(string what, string install)
    {
        var message = $"{what} is not available; install it: {install}";
        if (InCi)
        {
            Assert.Fail($"{message} (CI must run every integration test)");
        }

        Assert.Skip(message);
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}
