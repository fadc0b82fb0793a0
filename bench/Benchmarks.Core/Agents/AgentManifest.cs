using System.Text.Json;

namespace Benchmarks.Core.Agents;

/// <summary>
/// What an agent writes before it starts measuring, so that the merge knows it even if it never finishes:
/// who it was, what it ran, when it was told to start and when it did, and how far its clock was from the run's.
/// </summary>
/// <param name="ClockOffsetMs">This agent's clock less the reference clock (positive: ahead), measured before the start.</param>
/// <param name="ClockReference">What the offset was measured against, and how finely.</param>
/// <param name="StartLagMs">How long after the start instant (by its own clock) the agent began its schedule.</param>
public sealed record AgentManifest(
    int Index,
    int Count,
    string Scenario,
    string ScenarioFile,
    IReadOnlyList<string> Overrides,
    DateTimeOffset StartAt,
    string Host,
    int ProcessId,
    double ClockOffsetMs,
    string ClockReference,
    double StartLagMs,
    string HarnessVersion)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>The manifest at <paramref name="path"/>; null when there is none or it is not whole (an agent killed while writing it).</summary>
    public static AgentManifest? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<AgentManifest>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
