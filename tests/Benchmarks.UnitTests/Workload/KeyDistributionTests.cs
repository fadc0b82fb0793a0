using Benchmarks.Core.Workload;

namespace Benchmarks.UnitTests.Workload;

public sealed class KeyDistributionTests
{
    private const int Samples = 200_000;

    private static long[] Histogram(IKeyDistribution d, long keys, ulong seed = 7)
    {
        var counts = new long[keys];
        for (long n = 0; n < Samples; n++)
        {
            var r = new OperationRandom(seed, n);
            counts[d.Next(ref r, n)]++;
        }

        return counts;
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("zipfian(0.99)")]
    [InlineData("hotspot(0.2, 0.8)")]
    [InlineData("sequential")]
    [InlineData("latest(0.9)")]
    public void Every_distribution_is_deterministic_under_a_seed_and_stays_in_range(string text)
    {
        Assert.True(KeyDistributionDefinition.TryParse(text, out var def, out _));
        var a = Histogram(def.Create(1000), 1000);
        var b = Histogram(def.Create(1000), 1000);
        Assert.Equal(a, b);
        Assert.Equal(Samples, a.Sum());
        var c = Histogram(def.Create(1000), 1000, seed: 8);
        Assert.True(text == "sequential" || !a.SequenceEqual(c), "another seed gives another sequence");
    }

    [Fact]
    public void Uniform_spreads_evenly()
    {
        var counts = Histogram(new UniformKeys(100), 100);
        Assert.All(counts, c => Assert.InRange(c, 1700, 2300));
    }

    [Fact]
    public void Zipfian_hottest_key_gets_the_share_theory_gives()
    {
        var zipf = new ZipfianKeys(1000, 0.99);
        var counts = Histogram(zipf, 1000);
        // Zipf's law computed here, not with the product's code: P(rank k) = k^-θ / Σ_{i=1..n} i^-θ.
        var harmonic = Enumerable.Range(1, 1000).Sum(i => Math.Pow(i, -0.99));
        foreach (var rank in new[] { 1, 2, 10 })
        {
            var expected = Math.Pow(rank, -0.99) / harmonic * Samples;
            Assert.InRange(counts[rank - 1], expected * 0.93, expected * 1.07);
        }

        Assert.Equal(1 / harmonic, zipf.ProbabilityOfHottest, 6);
        Assert.True(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[500]);
    }

    [Fact]
    public void Hotspot_sends_the_probability_to_the_hot_fraction()
    {
        var counts = Histogram(new HotspotKeys(1000, 0.1, 0.9), 1000);
        var hot = counts.Take(100).Sum() / (double)Samples;
        Assert.InRange(hot, 0.89, 0.91);
    }

    [Fact]
    public void Sequential_walks_the_keys_in_order()
    {
        var d = new SequentialKeys(10);
        var r = new OperationRandom(1, 0);
        Assert.Equal([0L, 1, 2, 9, 0, 1], new long[] { 0, 1, 2, 9, 10, 11 }.Select(n => d.Next(ref r, n)));
    }

    [Fact]
    public void Latest_favours_the_newest_keys()
    {
        var counts = Histogram(new LatestKeys(1000, 0.99), 1000);
        Assert.True(counts[999] > counts[998] && counts[998] > counts[0]);
    }

    [Fact]
    public void The_operation_mix_follows_its_weights()
    {
        var mix = new OperationMix([95, 5]);
        var set = 0;
        for (var n = 0; n < Samples; n++)
        {
            var r = new OperationRandom(3, n);
            set += mix.Pick(ref r);
        }

        Assert.InRange(set / (double)Samples, 0.048, 0.052);
    }

    [Fact]
    public void Values_have_the_requested_shape()
    {
        var vector = new ValueGenerator(new ValueDefinition(ValueKind.FeatureVector, Dimensions: 128), 1);
        Assert.Equal(512, vector.TypicalSize);
        var json = new ValueGenerator(new ValueDefinition(ValueKind.JsonDocument, Bytes: 1000), 1);
        var r = new OperationRandom(1, 1);
        var doc = json.Next(ref r);
        Assert.InRange(doc.Length, 950, 1050);
        using var parsed = System.Text.Json.JsonDocument.Parse(doc);
        Assert.True(parsed.RootElement.TryGetProperty("fields", out _));
        var jsonVector = new ValueGenerator(new ValueDefinition(ValueKind.FeatureVector, Dimensions: 8, Encoding: VectorEncoding.Json), 1);
        using var array = System.Text.Json.JsonDocument.Parse(jsonVector.Next(ref r));
        Assert.Equal(8, array.RootElement.GetArrayLength());
    }
}
