using System.Globalization;
using Benchmarks.Core.Flows;
using Npgsql;
using StackExchange.Redis;

namespace Samples.RegistryFlows;

/// <summary>
/// The model registry's read path as a serving team would write it: the latest version's metadata from
/// Redis, and on a miss from the registry in PostgreSQL, written back to Redis with a TTL. It uses the
/// stores' own clients (StackExchange.Redis <see cref="IDatabase"/>, <see cref="NpgsqlDataSource"/>) and
/// times each call as a step; the harness adds the end-to-end time, the hit ratio and the fallbacks counted.
/// </summary>
public sealed class RegistryCacheAside : Flow
{
    private const string LatestMetadata =
        "SELECT metadata::text FROM model_registry WHERE model_name = $1 ORDER BY created_at DESC, version DESC LIMIT 1";

    private static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(30);

    private readonly FlowStep _cache;
    private readonly FlowStep _registry;
    private readonly FlowStep _fill;
    private readonly FlowCounter _fallbacks;
    private IDatabase _redis = null!;
    private NpgsqlDataSource _registryDb = null!;
    private long _models;

    public RegistryCacheAside() : base("registry-cache-aside")
    {
        _cache = Step("cache", store: "cache");
        _registry = Step("registry", store: "registry");
        _fill = Step("fill", store: "cache");
        _fallbacks = Counter("fallbacks");
    }

    public override ValueTask BindAsync(FlowEnvironment environment, CancellationToken cancellationToken)
    {
        _redis = environment.Store("cache").Client<IDatabase>();
        _registryDb = environment.Store("registry").Client<NpgsqlDataSource>();
        // The registry holds data.keys rows: versionsPerModel (4 in the scenario) versions of each model.
        _models = Math.Max(1, environment.Keys / 4);
        return ValueTask.CompletedTask;
    }

    public override async ValueTask RunAsync(FlowContext context)
    {
        var model = string.Create(CultureInfo.InvariantCulture, $"{context.Workload.KeyPrefix}{context.KeyIndex % _models}");
        var cached = await context.StepAsync(_cache, _ => _redis.StringGetAsync(model));
        context.Hit(cached.HasValue);
        if (cached.HasValue)
        {
            return;
        }

        context.Count(_fallbacks);
        var metadata = await context.StepAsync(_registry, async c =>
        {
            await using var command = _registryDb.CreateCommand(LatestMetadata);
            command.Parameters.Add(new NpgsqlParameter { Value = model });
            return await command.ExecuteScalarAsync(c.CancellationToken) as string;
        });
        await context.StepAsync(_fill, _ => _redis.StringSetAsync(model, metadata ?? "{}", CacheTtl));
    }
}
