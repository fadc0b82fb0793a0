using Benchmarks.Core.Parsing;
using Benchmarks.Stores.Blob;

namespace Benchmarks.UnitTests.Blob;

/// <summary>The Blob store's part of a scenario: sizes, names, connections, and what may be printed of them.</summary>
public sealed class BlobScenarioTests
{
    private static string Scenario(string store, string mix = "[ { op: download }, { op: range, length: 64KB } ]") => $"""
        name: b
        store: {"{"} kind: blob{store} {"}"}
        data: {"{"} keys: 10 {"}"}
        workload: {"{"} mix: {mix} {"}"}
        load: {"{"} executor: constant-arrival-rate, rate: 10/s, duration: 1s {"}"}
        """;

    [Fact]
    public void Sizes_read_with_binary_units_and_defaults_apply()
    {
        var s = TestScenarios.Load(Scenario(", artifactSize: 1.5GB, bufferSize: 64KB"));
        var settings = Assert.IsType<BlobSettings>(s.Store.Settings);
        Assert.Equal((1.5 * 1024 * 1024 * 1024, 64 * 1024), ((double)settings.ArtifactSize, settings.BufferSize));
        Assert.Equal("bench-artifacts", settings.Container);
        Assert.True(settings.IsLocal);
        Assert.Equal(64 * 1024, s.Workload.Mix[1].SettingsOf<BlobOperationSettings>().RangeLength);
        Assert.Equal("local Azurite", s.Store.RedactedTarget);
    }

    [Theory]
    [InlineData(", artifactSize: 12 parsecs", "artifactSize", "is not a size")]
    [InlineData(", bufferSize: 1KB", "bufferSize", "outside")]
    [InlineData(", container: Models_2026", "container", "not a container name")]
    [InlineData(", connection: \"not a connection string\"", "connection", "not a Blob Storage connection string")]
    public void Mistakes_are_reported_at_their_key(string store, string key, string message)
    {
        var error = Assert.Single(TestScenarios.Errors(Scenario(store)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message + error.Hint, StringComparison.Ordinal);
        Assert.Equal(2, error.Location.Line);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=mlartifacts;AccountKey=S3cr3tKeyS3cr3tKey==;EndpointSuffix=core.windows.net", "mlartifacts.blob (connection string)")]
    [InlineData("BlobEndpoint=https://mlartifacts.blob.core.windows.net/;SharedAccessSignature=sv=2024&sig=S3cr3tKeyS3cr3tKey%3D", "mlartifacts.blob.core.windows.net:443")]
    [InlineData("https://mlartifacts.blob.core.windows.net", "mlartifacts.blob.core.windows.net (Entra ID)")]
    public void The_target_printed_names_the_account_and_never_its_key(string connection, string printed)
    {
        var s = TestScenarios.Load(Scenario($", connection: \"{connection}\""));
        Assert.Equal(printed, s.Store.RedactedTarget);
        Assert.DoesNotContain("S3cr3tKey", s.Store.RedactedTarget, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("512B", 512)]
    [InlineData("64KB", 65_536)]
    [InlineData("64KiB", 65_536)]
    [InlineData("2.5MB", 2_621_440)]
    [InlineData("1GB", 1_073_741_824)]
    public void Sizes_are_binary(string text, long bytes)
    {
        Assert.True(Units.TryParseSize(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }
}
