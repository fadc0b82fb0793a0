using System.Diagnostics.Tracing;

namespace Benchmarks.Core.Health;

/// <summary>
/// Every stop-the-world pause of the runtime, from its own GC events (suspension begins, execution
/// restarts): the longest pause and how many there were, which <c>GC.GetTotalPauseDuration</c> does not
/// tell. The verdict rule needs both: a pause can delay the completion of every operation in flight
/// during it, by at most its length.
/// </summary>
internal sealed class GcPauseListener : EventListener
{
    /// <summary>
    /// Two listeners of one process created or disposed at once deadlocked inside the runtime's EventPipe (each waited
    /// for the lock the other held, in EventListener.Dispose): agents run in one process by the tests, and windows whose
    /// monitors overlap, take turns.
    /// </summary>
    private static readonly Lock Turns = new();

    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Lock _lock = new();
    private DateTime? _suspendedAt;
    private TimeSpan _longest;
    private int _count;
    private bool _counting;

    private GcPauseListener()
    {
    }

    /// <summary>A listener that is counting nothing yet (see <see cref="Reset"/>).</summary>
    public static GcPauseListener Create()
    {
        lock (Turns)
        {
            return new GcPauseListener();
        }
    }

    public override void Dispose()
    {
        lock (Turns)
        {
            base.Dispose();
        }
    }

    /// <summary>Counts from now; pauses seen before are forgotten.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            (_longest, _count, _counting) = (TimeSpan.Zero, 0, true);
        }
    }

    public (TimeSpan Longest, int Count) Stop()
    {
        lock (_lock)
        {
            _counting = false;
            return (_longest, _count);
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // GCSuspendEEBegin_V1 / GCRestartEEEnd_V1: the runtime's own bracket of a pause.
        switch (eventData.EventId)
        {
            case 9:
                lock (_lock)
                {
                    _suspendedAt = eventData.TimeStamp;
                }

                break;
            case 3:
                lock (_lock)
                {
                    if (_suspendedAt is { } began && _counting)
                    {
                        var pause = eventData.TimeStamp - began;
                        _longest = pause > _longest ? pause : _longest;
                        _count++;
                    }

                    _suspendedAt = null;
                }

                break;
        }
    }
}
