using System.Globalization;
using System.Text.Json;

namespace Benchmarks.Stores.Analytics.Events;

/// <summary>
/// The synthetic raw-events data set the training-data query reads: <see cref="Rows"/> events of
/// <see cref="Users"/> users spread over the <see cref="Days"/> days before <see cref="Anchor"/>,
/// written as Parquet files of <see cref="FileRows"/> rows. Everything follows from these values and
/// the seed, so the same description always gives the same files.
/// </summary>
public sealed record EventsDataSet(long Rows, long Users, int Days, double PurchaseShare, long FileRows, DateTime Anchor, ulong Seed)
{
    /// <summary>Runs are comparable because the data and the query window end at the same instant.</summary>
    public static readonly DateTime DefaultAnchor = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public const string Manifest = "_bench_events.json";

    public int Files => (int)((Rows + FileRows - 1) / FileRows);

    public static string FileName(int index) => string.Create(CultureInfo.InvariantCulture, $"events-{index:D5}.parquet");

    public string AnchorLiteral => Anchor.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The manifest text: a folder holds this data set when its manifest says exactly this.</summary>
    public string Describe() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["rows"] = Rows,
        ["users"] = Users,
        ["days"] = Days,
        ["purchaseShare"] = PurchaseShare,
        ["fileRows"] = FileRows,
        ["anchor"] = AnchorLiteral,
        ["seed"] = Seed,
        ["format"] = 2,
    });

    /// <summary>Whether <paramref name="folder"/> already holds this data set, complete.</summary>
    public bool IsIn(string folder) =>
        File.Exists(Path.Combine(folder, Manifest))
        && File.ReadAllText(Path.Combine(folder, Manifest)) == Describe()
        && Enumerable.Range(0, Files).All(i => File.Exists(Path.Combine(folder, FileName(i))));
}
