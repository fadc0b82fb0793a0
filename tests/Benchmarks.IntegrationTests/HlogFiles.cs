namespace Benchmarks.IntegrationTests;

/// <summary>What a test reads of a .hlog that a bench process is still writing.</summary>
internal static class HlogFiles
{
    /// <summary>Seconds written to the .hlog so far: its untagged lines (the total), one a second; tagged lines start with "Tag=".</summary>
    public static int SecondsLogged(string hlog)
    {
        try
        {
            using var stream = new FileStream(hlog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.Length > 0 && char.IsDigit(l[0]));
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
