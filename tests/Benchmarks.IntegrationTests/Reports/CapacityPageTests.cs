using Benchmarks.Core.Results;
using Benchmarks.Reports.Exporters;
using Benchmarks.UnitTests.Cli;
using Benchmarks.UnitTests.Reports;

namespace Benchmarks.IntegrationTests.Reports;

/// <summary>The capacity planner's pages (one search, and a suite with a capacity summary) in a real browser.</summary>
public sealed class CapacityPageTests() : TempFolderTests("bench-capacity-page-it-")
{
    [Fact]
    public async Task The_capacity_pages_render_with_both_charts_drawn_and_no_errors()
    {
        var capacity = FixedCapacityRun.Create(Path.Combine(Folder.FullName, "registry-capacity"));
        Directory.CreateDirectory(capacity.OutputDirectory);
        var run = ExporterCatalog.Export(ExporterCatalog.Run, capacity, capacity.OutputDirectory);
        Assert.Empty(run.Failures);
        var suite = ExporterCatalog.Export(ExporterCatalog.Suite, new SuiteOutcome("suite", [capacity, FixedRun.Create(Folder.FullName)]), Folder.FullName);
        Assert.Empty(suite.Failures);

        var (playwright, browser) = await HeadlessChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        foreach (var file in new[] { Path.Combine(capacity.OutputDirectory, OutputFileNames.Html), Path.Combine(Folder.FullName, OutputFileNames.Html) })
        {
            var (page, problems) = await HeadlessChromium.OpenAsync(browser, file);
            await HeadlessChromium.AssertDrawnAsync(page.Locator("figure[data-chart=capacity-curve] svg"), $"the capacity curve of {file}");
            await HeadlessChromium.AssertDrawnAsync(page.Locator("figure[data-chart=saturation] svg"), $"the saturation chart of {file}");
            Assert.Equal(12, await page.Locator("table[data-table=capacity-curve] tr[data-kind]").CountAsync());
            Assert.True(await page.Locator("table[data-table=what-if]").IsVisibleAsync());
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        var summary = await (await HeadlessChromium.OpenAsync(browser, Path.Combine(Folder.FullName, OutputFileNames.Html))).Page
            .Locator("table[data-table=capacity-summary]").InnerTextAsync();
        Assert.Contains("1,700/s", summary, StringComparison.Ordinal);
    }
}
