namespace Benchmarks.Core.Parsing;

/// <summary>Keeps secrets given on the command line out of results: overrides of secret-bearing settings are recorded without their value.</summary>
public static class SecretRedaction
{
    private static readonly HashSet<string> SecretSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "secret", "token", "key", "accountKey", "connection", "connectionString", "credential",
    };

    public static string Override(string setting)
    {
        var eq = setting.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return setting;
        }

        var last = setting[..eq].Split('.')[^1].Trim();
        return SecretSettings.Contains(last) ? $"{setting[..eq]}=(redacted)" : setting;
    }
}
