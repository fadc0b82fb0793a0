using HdrHistogram;

namespace Benchmarks.Core.Recording;

/// <summary>
/// The histogram inside each of the project's <see cref="Recorder"/>s: counts are added atomically, so concurrent
/// writers lose nothing, and read without any lock. HdrHistogram.NET's own <see cref="LongConcurrentHistogram"/>
/// takes a reader lock for every count it reads and a full memory fence for every count it clears; each second the
/// snapshot thread clears, adds, encodes and takes percentiles of every interval histogram, a pass over all 23 552
/// buckets each time: 5–6 ms of every second for a single operation, 1.5 ms with this (docs/performance.md).
/// Inside a recorder no lock is needed: the recorder hands a histogram out only after its phaser has waited for every
/// write in flight to it, and no write reaches it again until it is recycled.
/// </summary>
public sealed class AtomicCountsHistogram : HistogramBase
{
    private readonly long[] _counts;
    private long _totalCount;

    public AtomicCountsHistogram(long instanceId, long lowestTrackableValue, long highestTrackableValue, int numberOfSignificantValueDigits)
        : base(instanceId, lowestTrackableValue, highestTrackableValue, numberOfSignificantValueDigits)
    {
        // The library's own length: half a sub-bucket range per bucket, plus the first bucket's lower half.
        _counts = new long[(BucketCount + 1) * (SubBucketCount / 2)];
    }

    public override long TotalCount
    {
        get => Interlocked.Read(ref _totalCount);
        protected set => Interlocked.Exchange(ref _totalCount, value);
    }

    protected override int WordSizeInBytes => sizeof(long);

    protected override long MaxAllowableCount => long.MaxValue;

    public override HistogramBase Copy()
    {
        var copy = new AtomicCountsHistogram(InstanceId, LowestTrackableValue, HighestTrackableValue, NumberOfSignificantValueDigits);
        copy.Add(this);
        return copy;
    }

    protected override long GetCountAtIndex(int index) => _counts[index];

    protected override void SetCountAtIndex(int index, long value) => _counts[index] = value;

    protected override void IncrementCountAtIndex(int index)
    {
        Interlocked.Increment(ref _counts[index]);
        Interlocked.Increment(ref _totalCount);
    }

    protected override void AddToCountAtIndex(int index, long addend)
    {
        if (addend == 0)
        {
            return;
        }

        Interlocked.Add(ref _counts[index], addend);
        Interlocked.Add(ref _totalCount, addend);
    }

    protected override void ClearCounts()
    {
        Array.Clear(_counts);
        TotalCount = 0;
    }

    protected override void CopyCountsInto(long[] target) => Array.Copy(_counts, target, Math.Min(_counts.Length, target.Length));
}
