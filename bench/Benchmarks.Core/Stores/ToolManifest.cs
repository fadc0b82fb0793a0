namespace Benchmarks.Core.Stores;

/// <summary>
/// Finds what the repository pins for the local servers the harness starts (the dotnet local-tool manifest
/// for garnet-server, the npm packages under <c>tools/</c>), whatever the current directory is.
/// </summary>
public static class ToolManifest
{
    public static string? FindDirectory() =>
        FindUpwards(Path.Combine(".config", "dotnet-tools.json")) is { } nested ? Path.GetDirectoryName(Path.GetDirectoryName(nested))
        : FindUpwards("dotnet-tools.json") is { } flat ? Path.GetDirectoryName(flat)
        : null;

    /// <summary>The full path of <paramref name="relative"/> in the first folder, upwards from the current directory and then from the binaries, that holds it.</summary>
    public static string? FindUpwards(string relative)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The <c>version</c> of an installed npm package, read from its package.json; null when it cannot be read.</summary>
    public static string? NpmPackageVersion(string packageJson)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(packageJson));
            return json.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
