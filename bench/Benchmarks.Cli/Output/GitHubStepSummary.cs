namespace Benchmarks.Cli.Output;

/// <summary>On GitHub Actions, appends Markdown to the job's summary page (the file named by GITHUB_STEP_SUMMARY).</summary>
internal static class GitHubStepSummary
{
    public static void Append(string markdown)
    {
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } path)
        {
            File.AppendAllText(path, markdown + Environment.NewLine);
        }
    }
}
