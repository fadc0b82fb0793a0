using Microsoft.Playwright;

namespace Benchmarks.IntegrationTests.Reports;

/// <summary>The system's Chromium, headless, for opening reports as a reader would; every console error, page error and failed request is collected.</summary>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Path))
        {
            Requirements.Unavailable("chromium", "apt-get install chromium");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    /// <summary>Opens a file; the list fills with what went wrong while it loads.</summary>
    public static async Task<(IPage Page, List<string> Problems)> OpenAsync(IBrowser browser, string file)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                problems.Add($"console {m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) => problems.Add($"page error: {e}");
        page.RequestFailed += (_, r) => problems.Add($"request failed: {r.Url}");
        var response = await page.GotoAsync(new Uri(file).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.True(response is null || response.Ok);
        return (page, problems);
    }

    /// <summary>Asserts that a chart is laid out at a readable size and has drawn geometry (plotted lines and markers).</summary>
    public static async Task AssertDrawnAsync(ILocator svg, string what)
    {
        var box = await svg.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box!.Width > 300 && box.Height > 100, $"{what} is {box.Width}x{box.Height}");
        var drawn = await svg.EvaluateAsync<int>("s => [...s.querySelectorAll('path,polyline,line')].filter(e => { const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length");
        Assert.True(drawn > 5, $"{what} has {drawn} drawn elements");
    }
}
