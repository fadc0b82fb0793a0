using Benchmarks.UnitTests.Cli;
using Benchmarks.UnitTests.History;

namespace Benchmarks.IntegrationTests.Reports;

/// <summary><c>bench history</c>'s page in headless Chromium: no error, both trend charts drawn, the runs in order with the doubled p99 flagged.</summary>
public sealed class HistoryPageTests() : TempFolderTests("bench-history-page-")
{
    [Fact]
    public async Task The_trend_page_renders_without_errors_with_its_charts_and_the_flagged_run()
    {
        var file = FixedHistory.AppendThree(Path.Combine(Folder.FullName, "history.duckdb"), Folder.FullName);
        var page = Path.Combine(Folder.FullName, "trend.html");
        var (code, _, stderr) = await CliHarness.RunAsync("history", "fixed", "--file", file, "--out", page);
        Assert.True(code == 1, stderr);

        var (playwright, browser) = await HeadlessChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (opened, problems) = await HeadlessChromium.OpenAsync(browser, page);
        await HeadlessChromium.AssertDrawnAsync(opened.Locator("figure[data-chart=history-latency] svg"), "the latency trend");
        await HeadlessChromium.AssertDrawnAsync(opened.Locator("figure[data-chart=history-throughput] svg"), "the throughput trend");
        var rows = opened.Locator("table[data-table=history] tr[data-run]");
        Assert.Equal(3, await rows.CountAsync());
        Assert.Equal(["1", "2", "3"], (await Task.WhenAll(Enumerable.Range(0, 3).Select(i => rows.Nth(i).GetAttributeAsync("data-run")))).Select(v => v ?? ""));
        Assert.Equal("true", await rows.Nth(2).GetAttributeAsync("data-flagged"));
        Assert.Contains("p99", await rows.Nth(2).InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
