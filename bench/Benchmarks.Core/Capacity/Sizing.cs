using System.Globalization;

namespace Benchmarks.Core.Capacity;

/// <summary>A planner's inputs: the rate to serve, the headroom to keep, and prices. Nothing here is a hidden constant.</summary>
public sealed record SizingInputs(
    double TargetRatePerSecond,
    double HeadroomPercent,
    double? PricePerNodeMonth,
    double? RequestUnitsPerOperation,
    double? PricePer100RequestUnitsMonth)
{
    /// <summary>True when <see cref="RequestUnitsPerOperation"/> was measured by the run rather than given.</summary>
    public bool RequestUnitsMeasured { get; init; }
}

/// <summary>What the planner gets: nodes (or RU/s) for the target rate, the monthly cost where prices were given, and the assumptions.</summary>
public sealed record SizingEstimate(
    double TargetRatePerSecond,
    double HeadroomPercent,
    double MeasuredCapacityPerNode,
    double UsablePerNode,
    int Nodes,
    double? MonthlyCost,
    double? RequestUnitsPerSecond,
    double? RequestUnitsMonthlyCost,
    IReadOnlyList<string> Assumptions)
{
    /// <summary>What 1,000 operations/s cost a month at the SLA, at the planned load per node (or per RU/s); null without prices.</summary>
    public double? MonthlyCostPer1000PerSecond { get; init; }

    /// <summary>Where <see cref="TargetRatePerSecond"/> came from: <c>sizing.targetRate</c>, or the seed's figure for the store.</summary>
    public string? TargetSource { get; init; }
}

/// <summary>The sizing arithmetic, kept apart so that it is tested with worked examples.</summary>
public static class Sizing
{
    /// <param name="capacityPerNode">The highest rate one node (the store as tested) served within the SLA.</param>
    public static SizingEstimate Estimate(double capacityPerNode, SizingInputs inputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityPerNode);
        var keep = 1 - (inputs.HeadroomPercent / 100);
        var usable = capacityPerNode * keep;
        var nodes = (int)Math.Ceiling(Math.Round(inputs.TargetRatePerSecond / usable, 9));
        double? cost = inputs.PricePerNodeMonth is { } price ? nodes * price : null;

        double? ru = null, ruCost = null;
        if (inputs.RequestUnitsPerOperation is { } perOperation)
        {
            // Provisioned throughput is set in steps of 100 RU/s; headroom absorbs bursts and hot partitions.
            ru = Math.Ceiling(Math.Round(inputs.TargetRatePerSecond * perOperation / keep / 100, 9)) * 100;
            ruCost = inputs.PricePer100RequestUnitsMonth is { } per100 ? ru / 100 * per100 : null;
        }

        var inv = CultureInfo.InvariantCulture;
        var assumptions = new List<string>
        {
            string.Create(inv, $"one node serves {capacityPerNode:0.#}/s within the SLA, as measured by the capacity search on this store and workload"),
            string.Create(inv, $"{inputs.HeadroomPercent:0.#}% headroom is kept for bursts, failover and growth, so each node is planned at {usable:0.#}/s"),
            "throughput scales linearly with nodes (shards or replicas serving independent keys); cross-node effects were not measured",
        };
        if (inputs.PricePerNodeMonth is { } p)
        {
            assumptions.Add(string.Create(inv, $"a node costs {p:0.##} a month (an input; check current pricing)"));
        }

        if (inputs.RequestUnitsPerOperation is { } r)
        {
            assumptions.Add(string.Create(inv, $"{r:0.###} RU per operation ({(inputs.RequestUnitsMeasured ? "the mean charge measured at the capacity" : "an input")}), provisioned in steps of 100 RU/s"));
        }

        double? per1000 = inputs.RequestUnitsPerOperation is { } ruPerOp && inputs.PricePer100RequestUnitsMonth is { } ruPrice
            ? 1000 * ruPerOp / keep / 100 * ruPrice
            : inputs.PricePerNodeMonth is { } nodePrice ? 1000 / usable * nodePrice : null;
        return new SizingEstimate(inputs.TargetRatePerSecond, inputs.HeadroomPercent, capacityPerNode, Math.Round(usable, 3), nodes, cost, ru, ruCost, assumptions)
        {
            MonthlyCostPer1000PerSecond = per1000 is { } c ? Math.Round(c, 2) : null,
        };
    }

    /// <summary>The headroom a what-if keeps when the scenario gives none (no <c>sizing:</c> section).</summary>
    public const double DefaultHeadroomPercent = 30;

    /// <summary>
    /// The planner's what-if: the estimate at each rate worth asking about — the scenario's <c>sizing.targetRate</c>
    /// and the seed's figure for the store (<see cref="SeedTargets"/>) — with the scenario's headroom and prices,
    /// or <see cref="DefaultHeadroomPercent"/> and no prices when it has no <c>sizing:</c> section.
    /// </summary>
    /// <param name="inputs">The scenario's sizing inputs; a target rate of 0 means none was given.</param>
    public static IReadOnlyList<SizingEstimate> WhatIf(double capacityPerNode, SizingInputs? inputs, string storeKind)
    {
        var rows = new List<SizingEstimate>();
        var basis = inputs ?? new SizingInputs(0, DefaultHeadroomPercent, null, null, null);
        // Inputs with no target rate carry only a measured request charge (a store that charges request units, no sizing: section).
        if (inputs is { TargetRatePerSecond: > 0 })
        {
            rows.Add(Estimate(capacityPerNode, inputs) with { TargetSource = "sizing.targetRate" });
        }

        if (SeedTargets.For(storeKind) is { } seed && rows.All(r => r.TargetRatePerSecond != seed.Rate))
        {
            rows.Add(Estimate(capacityPerNode, basis with { TargetRatePerSecond = seed.Rate }) with { TargetSource = seed.Source });
        }

        return [.. rows.OrderBy(r => r.TargetRatePerSecond)];
    }
}

/// <summary>
/// The throughput the project's seed document gives for each Azure store, as what-if targets for sizing.
/// Inputs, not measurements: the seed's own figures (requests or operations per second).
/// </summary>
public static class SeedTargets
{
    public static (double Rate, string Source)? For(string storeKind) => storeKind switch
    {
        "redis" => (1_000_000, "the seed's figure for Azure Cache for Redis (1M+ ops/s)"),
        "cosmos" => (10_000_000, "the seed's figure for Cosmos DB (10M+ requests/s)"),
        "postgres" => (50_000, "the seed's figure for Azure Database for PostgreSQL (50K requests/s)"),
        "sqlserver" => (100_000, "the seed's figure for Azure SQL (100K requests/s)"),
        _ => null,
    };
}

/// <summary>
/// Provisioned throughput for a request-unit store (Cosmos DB), from the request charges a run
/// measured: what the measured workload needs at the target rate, in steps of 100 RU/s.
/// </summary>
public sealed record RequestUnitPlan(
    double MeasuredRuPerOperation,
    double MeasuredRuPerSecond,
    double TargetRatePerSecond,
    double HeadroomPercent,
    double RequestUnitsPerSecond,
    double? MonthlyCost,
    IReadOnlyList<string> Assumptions);

public static class RequestUnitPlanner
{
    /// <param name="totalRu">Request units charged in the measured window, over <paramref name="operations"/> operations (failed ones too: they are charged).</param>
    public static RequestUnitPlan? Plan(double totalRu, long operations, double measuredSeconds, double targetRate, SizingInputs? inputs)
    {
        if (operations <= 0 || totalRu <= 0 || targetRate <= 0)
        {
            return null;
        }

        // The mean is the right statistic here: provisioned RU/s is paid for the sum of charges, not for a percentile.
        var perOperation = totalRu / operations;
        var headroom = inputs?.HeadroomPercent ?? 0;
        var rate = inputs?.TargetRatePerSecond ?? targetRate;
        var ru = Math.Ceiling(Math.Round(rate * perOperation / (1 - (headroom / 100)) / 100, 9)) * 100;
        double? cost = inputs?.PricePer100RequestUnitsMonth is { } per100 ? ru / 100 * per100 : null;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var assumptions = new List<string>
        {
            string.Create(inv, $"{perOperation:0.###} RU per operation: the mean charge of the {operations:N0} operations measured, this mix and these documents"),
            string.Create(inv, $"{rate:0.#} operations/s {(inputs is null ? "(the run's target rate)" : "(sizing.targetRate)")} with {headroom:0.#}% headroom, provisioned in steps of 100 RU/s"),
            "charges scale with document size, indexing policy and consistency: re-measure against the account when they change",
        };
        if (cost is not null)
        {
            assumptions.Add(string.Create(inv, $"{inputs!.PricePer100RequestUnitsMonth:0.##} a month per 100 RU/s (an input; check current pricing)"));
        }

        return new RequestUnitPlan(Math.Round(perOperation, 4), Math.Round(totalRu / Math.Max(measuredSeconds, 1e-9), 3), rate, headroom, ru, cost, assumptions);
    }
}
