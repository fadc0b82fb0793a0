using System.Globalization;

namespace Benchmarks.Core.Agents;

/// <summary>
/// Where the agents of a run write and whoever merges or follows it reads: a folder (local, or shared storage), or
/// remote storage (a Blob container) mirrored in a local folder. Everything works on <see cref="Folder"/>; a remote
/// location is brought in line with it by pushing what a process wrote and pulling what others wrote.
/// </summary>
public interface IRunLocation : IAsyncDisposable
{
    /// <summary>The local folder the run is worked on in: the location itself, or its mirror.</summary>
    string Folder { get; }

    /// <summary>The location in words, for messages (never a key).</summary>
    string Description { get; }

    /// <summary>Sends what was written under <paramref name="relativePath"/> (a file or folder of <see cref="Folder"/>) since the last push: a growing log's new bytes, a changed file whole.</summary>
    Task PushAsync(string relativePath, CancellationToken cancellationToken);

    /// <summary>Brings what others wrote under <paramref name="relativePath"/> ("" for everything) into <see cref="Folder"/>.</summary>
    Task PullAsync(string relativePath, CancellationToken cancellationToken);

    /// <summary>How far <paramref name="clock"/> is from the location's own clock (positive: ahead), and how finely that is known.</summary>
    Task<(double OffsetMs, string Reference)> MeasureClockOffsetAsync(Func<DateTimeOffset> clock, CancellationToken cancellationToken);
}

/// <summary>A folder: local, or storage every agent mounts (NFS, Azure Files). Nothing to push or pull.</summary>
public sealed class FolderLocation(string folder) : IRunLocation
{
    public string Folder { get; } = folder;

    public string Description => Folder;

    public Task PushAsync(string relativePath, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PullAsync(string relativePath, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Against the folder's file times (the file server's clock on shared storage), from the probe with the shortest
    /// round trip: a file is written and its modification time compared with the middle of the write.
    /// </summary>
    public Task<(double OffsetMs, string Reference)> MeasureClockOffsetAsync(Func<DateTimeOffset> clock, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var probe = Path.Combine(Folder, $".clock-probe-{Environment.ProcessId}");
        var best = (Offset: 0.0, RoundTrip: double.MaxValue);
        for (var i = 0; i < 5; i++)
        {
            var before = clock();
            File.WriteAllText(probe, "");
            var stamped = File.GetLastWriteTimeUtc(probe);
            var after = clock();
            var roundTrip = (after - before).TotalMilliseconds;
            if (roundTrip < best.RoundTrip)
            {
                var middle = before + ((after - before) / 2);
                best = ((middle.UtcDateTime - stamped).TotalMilliseconds, roundTrip);
            }
        }

        File.Delete(probe);
        // File times come from the kernel's coarse clock, one scheduler tick (1–10 ms) behind the precise one; + 0.0 turns a rounded -0 into 0.
        return Task.FromResult((Math.Round(best.Offset, 1) + 0.0, string.Create(CultureInfo.InvariantCulture,
            $"the run folder's file times (to within {best.RoundTrip:0.###} ms plus the file system's clock tick, up to 10 ms)")));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
