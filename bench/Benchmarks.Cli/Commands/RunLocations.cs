using Benchmarks.Core.Agents;
using Benchmarks.Stores.Blob.Runs;

namespace Benchmarks.Cli.Commands;

/// <summary>Where a scaled-out run is kept, from what --out (or bench merge's RUN) says: a folder, or blob://CONTAINER/RUN-ID.</summary>
internal static class RunLocations
{
    public const string Help = "a folder (shared storage when agents are on several machines) or blob://CONTAINER/RUN-ID (the account in " + BlobRunLocation.StorageVariable + ")";

    public static async Task<(IRunLocation? Location, string? Problem)> OpenAsync(string location, CancellationToken cancellationToken)
    {
        if (!BlobRunLocation.Names(location))
        {
            return (new FolderLocation(location), null);
        }

        var (blob, problem) = await BlobRunLocation.OpenAsync(location, Environment.GetEnvironmentVariable(BlobRunLocation.StorageVariable), cancellationToken);
        return (blob, problem);
    }
}
