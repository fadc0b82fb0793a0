using System.Globalization;
using System.Text;
using Benchmarks.Core.Workload;

namespace Benchmarks.Stores.Relational.Registry;

/// <summary>How the preloaded registry looks: versions per model, metadata size, tags per row.</summary>
public sealed record RegistryShape(int VersionsPerModel, int MetadataBytes, int TagsPerModel);

/// <summary>One row of <c>model_registry</c>, as preloaded or registered.</summary>
public sealed record ModelRow(
    Guid ModelId,
    string ModelName,
    string Version,
    string Status,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string Metadata,
    string Owner,
    string Tags);

/// <summary>
/// The registry's data set, deterministic under the seed: row <c>i</c> is version <c>i mod V</c> of
/// model <c>i div V</c>, so a key index from the workload's distribution names one (model, version).
/// Versions are <c>1.k.0</c> and get newer with k (created_at grows with them): "latest" is a
/// question about time, as in a real registry, not about sorting version strings.
/// </summary>
public sealed class RegistryModel(ulong seed, string namePrefix, RegistryShape shape)
{
    public static readonly string[] Statuses = ["draft", "testing", "staging", "production"];

    /// <summary>The words tags are made of: frameworks, tasks, teams, data sets.</summary>
    public static readonly string[] TagWords =
    [
        "pytorch", "tensorflow", "xgboost", "lightgbm", "sklearn", "onnx", "transformers", "jax",
        "nlp", "vision", "ranking", "recommendation", "fraud", "churn", "forecast", "anomaly",
        "embedding", "classifier", "regression", "llm", "speech", "search", "ads", "pricing",
        "payments", "growth", "risk", "trust", "catalog", "support", "gpu", "cpu",
        "batch", "realtime", "quantized", "distilled", "finetuned", "baseline", "experimental", "approved",
    ];

    private static readonly string[] Owners =
    [
        "ml-platform", "search-relevance", "fraud-detection", "recsys", "forecasting", "vision-team",
        "nlp-team", "ads-ranking", "growth-analytics", "risk-models", "pricing", "support-ai",
    ];

    /// <summary>Preloaded rows are dated back from here, one hour per version, so runs are comparable.</summary>
    public static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public RegistryShape Shape => shape;

    /// <summary>
    /// The prefix and the number joined into one new string. Built for every operation: an interpolated string with a
    /// culture was the harness's costliest function per lookup (0.24 µs; docs/performance.md, "Who spends a lookup's CPU").
    /// </summary>
    public string ModelName(long model)
    {
        Span<char> digits = stackalloc char[20];
        model.TryFormat(digits, out var length, provider: CultureInfo.InvariantCulture);
        return string.Concat(namePrefix.AsSpan(), digits[..length]);
    }

    /// <summary>Version names of the usual shapes (up to 64 versions per model), made once.</summary>
    private static readonly string[] CommonVersionNames = [.. Enumerable.Range(0, 64).Select(v => FormatVersion(v))];

    public static string VersionName(long version) => version is >= 0 and < 64 ? CommonVersionNames[version] : FormatVersion(version);

    private static string FormatVersion(long version) => string.Create(CultureInfo.InvariantCulture, $"1.{version}.0");

    /// <summary>The (name, version) of row <paramref name="index"/>.</summary>
    public (string Name, string Version) Key(long index) => (ModelName(ModelOf(index)), VersionOf(index));

    /// <summary>What every model's name starts with; <see cref="ModelName"/> is it followed by the model's number.</summary>
    public string NamePrefix => namePrefix;

    /// <summary>The number of the model row <paramref name="index"/> is a version of.</summary>
    public long ModelOf(long index) => index / shape.VersionsPerModel;

    /// <summary>The version row <paramref name="index"/> is of its model.</summary>
    public string VersionOf(long index) => VersionName(index % shape.VersionsPerModel);

    public ModelRow Row(long index)
    {
        var random = new OperationRandom(seed ^ 0x5EED_0F_4E61_5731UL, index);
        var (name, version) = Key(index);
        var versionNumber = index % shape.VersionsPerModel;
        // Older versions have moved through the pipeline; the newest are mostly still drafts.
        var age = shape.VersionsPerModel - 1 - versionNumber;
        var status = age switch
        {
            0 => random.NextDouble() < 0.5 ? "draft" : "testing",
            1 => random.NextDouble() < 0.5 ? "testing" : "staging",
            _ => random.NextDouble() < 0.6 ? "production" : "staging",
        };
        var created = Epoch.AddDays(-(double)(index / shape.VersionsPerModel % 365)).AddHours(versionNumber);
        return new ModelRow(
            NewId(ref random),
            name,
            version,
            status,
            created,
            created.AddMinutes(random.NextLong(600)),
            Metadata(ref random, shape.MetadataBytes),
            Owners[random.NextLong(Owners.Length)],
            Tags(ref random, shape.TagsPerModel));
    }

    /// <summary>A new model version as the <c>register</c> operation writes it.</summary>
    public ModelRow NewVersion(ref OperationRandom random, string name, string version, DateTime now) =>
        new(NewId(ref random), name, version, "draft", now, now, Metadata(ref random, shape.MetadataBytes),
            Owners[random.NextLong(Owners.Length)], Tags(ref random, shape.TagsPerModel));

    public static Guid NewId(ref OperationRandom random)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, random.NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], random.NextUInt64());
        return new Guid(bytes);
    }

    /// <summary>Distinct words from <see cref="TagWords"/>, space-separated (what full-text search indexes).</summary>
    public static string Tags(ref OperationRandom random, int count)
    {
        var picked = new List<string>(count);
        while (picked.Count < Math.Min(count, TagWords.Length))
        {
            var word = TagWords[random.NextLong(TagWords.Length)];
            if (!picked.Contains(word))
            {
                picked.Add(word);
            }
        }

        return string.Join(' ', picked);
    }

    /// <summary>A JSON document of about <paramref name="bytes"/> bytes: metrics, hyper-parameters and lineage, padded with a notes field.</summary>
    public static string Metadata(ref OperationRandom random, int bytes)
    {
        var json = new StringBuilder(bytes + 64);
        json.Append(CultureInfo.InvariantCulture, $"{{\"metrics\":{{\"auc\":{0.7 + (random.NextDouble() * 0.29):0.0000},\"logloss\":{random.NextDouble():0.0000}}},");
        json.Append(CultureInfo.InvariantCulture, $"\"params\":{{\"learning_rate\":{random.NextDouble() * 0.1:0.00000},\"max_depth\":{3 + random.NextLong(10)},\"epochs\":{1 + random.NextLong(50)}}},");
        json.Append(CultureInfo.InvariantCulture, $"\"lineage\":{{\"dataset\":\"ds-{random.NextLong(1000)}\",\"run\":\"run-{random.NextLong(1_000_000)}\"}},\"notes\":\"");
        const string Letters = "abcdefghijklmnopqrstuvwxyz ";
        while (json.Length < bytes - 2)
        {
            json.Append(Letters[(int)random.NextLong(Letters.Length)]);
        }

        return json.Append("\"}").ToString();
    }
}
