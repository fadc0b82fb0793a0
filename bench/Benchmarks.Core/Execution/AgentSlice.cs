using System.Globalization;

namespace Benchmarks.Core.Execution;

/// <summary>
/// Agent <see cref="Index"/> of <see cref="Count"/> load agents that share one scenario. An arrival-rate
/// schedule is dealt out like cards: agent i takes arrivals i, i+N, i+2N… with their global sequence numbers,
/// so the union of the N slices is exactly the single-process schedule, keys and mix included (operation n
/// draws from the seed and n alone). Counts (workers, an operation limit) are shared out as evenly as they go.
/// </summary>
public readonly record struct AgentSlice(int Index, int Count)
{
    /// <summary>One process running all of it.</summary>
    public static AgentSlice Whole { get; } = new(0, 1);

    public bool IsWhole => Count == 1;

    /// <summary>This agent's share of <paramref name="total"/> things (workers, operations): the first total mod N agents take one more.</summary>
    public long Share(long total) => (total / Count) + (Index < total % Count ? 1 : 0);

    /// <summary>The global sequence number of this agent's <paramref name="local"/>-th operation.</summary>
    public long SequenceOf(long local) => (local * Count) + Index;

    /// <summary>This agent's part of <paramref name="schedule"/>: every Count-th arrival from Index.</summary>
    public IArrivalSchedule Of(IArrivalSchedule schedule) => IsWhole ? schedule : new SlicedSchedule(schedule, this);

    /// <summary>Reads "i/N" (i from 0, as a Kubernetes Indexed Job's completion index); null with the problem when it is not one.</summary>
    public static AgentSlice? Parse(string text, out string? problem)
    {
        problem = null;
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            problem = $"'{text}' is not i/N (for example 0/3: the first of three agents)";
            return null;
        }

        if (count < 1 || index >= count)
        {
            problem = $"'{text}': the index counts from 0 and must be below the number of agents (0/{Math.Max(count, 1)} to {Math.Max(count, 1) - 1}/{Math.Max(count, 1)})";
            return null;
        }

        return new AgentSlice(index, count);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

/// <summary>Every <c>Count</c>-th arrival of a schedule from <c>Index</c>: one agent's part of a shared schedule.</summary>
internal sealed class SlicedSchedule(IArrivalSchedule whole, AgentSlice slice) : IArrivalSchedule
{
    public double MeasureStartSeconds => whole.MeasureStartSeconds;

    public double EndSeconds => whole.EndSeconds;

    public bool TryGetOffset(long n, out double seconds) => whole.TryGetOffset(slice.SequenceOf(n), out seconds);

    public long SequenceOf(long n) => slice.SequenceOf(n);
}
