namespace Benchmarks.Core.Stores;

/// <summary>
/// Finds the repository's dotnet local-tool manifest, so that local tools (garnet-server) run with the
/// versions it pins whatever the current directory is.
/// </summary>
public static class ToolManifest
{
    public static string? FindDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json")) || File.Exists(Path.Combine(dir.FullName, "dotnet-tools.json")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
