using Benchmarks.Core.Capacity;

namespace Benchmarks.UnitTests.Capacity;

/// <summary>Worked examples of the sizing arithmetic.</summary>
public sealed class SizingTests
{
    [Fact]
    public void Nodes_for_a_target_rate_with_headroom()
    {
        // 50 000/s per node, 30% headroom -> 35 000/s usable; 200 000/s needs 200/35 = 5.71 -> 6 nodes; 6 x 250 = 1500 a month.
        var e = Sizing.Estimate(50_000, new SizingInputs(200_000, 30, 250, null, null));
        Assert.Equal(35_000, e.UsablePerNode);
        Assert.Equal(6, e.Nodes);
        Assert.Equal(1500, e.MonthlyCost);
        Assert.Null(e.RequestUnitsPerSecond);
        Assert.Contains(e.Assumptions, a => a.Contains("30% headroom", StringComparison.Ordinal));
    }

    [Fact]
    public void An_exact_fit_does_not_round_up()
    {
        // 10 000/s per node, no headroom, 40 000/s -> exactly 4 nodes (no floating-point 4.0000001 -> 5).
        var e = Sizing.Estimate(10_000, new SizingInputs(40_000, 0, null, null, null));
        Assert.Equal(4, e.Nodes);
        Assert.Null(e.MonthlyCost);
    }

    [Fact]
    public void Cosmos_request_units_and_their_cost()
    {
        // 20 000 reads/s at 1 RU with 20% headroom -> 25 000 RU/s; at 5.84 per 100 RU/s a month -> 1460.
        var e = Sizing.Estimate(8_000, new SizingInputs(20_000, 20, null, 1, 5.84));
        Assert.Equal(25_000, e.RequestUnitsPerSecond);
        Assert.Equal(1460, e.RequestUnitsMonthlyCost!.Value, 6);
        // 1 234 ops/s at 2.5 RU, 10% headroom -> 3427.8 RU/s -> provisioned in steps of 100: 3500.
        Assert.Equal(3_500, Sizing.Estimate(1_000, new SizingInputs(1_234, 10, null, 2.5, null)).RequestUnitsPerSecond);
    }

    [Fact]
    public void A_capacity_of_zero_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sizing.Estimate(0, new SizingInputs(1, 0, null, null, null)));
}
