using System.Globalization;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Benchmarks.Cli.Output;

/// <summary>
/// Live progress: on a terminal, one line rewritten every second (rate, p99, max, errors); when
/// output goes to a file or a CI log, plain lines every five seconds.
/// </summary>
internal sealed class ConsoleProgress(IAnsiConsole console) : IRunProgress
{
    private readonly bool _live = console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
    private LiveDisplayContext? _context;
    private string _phase = "";
    private long _lastPreloadPrint;
    private int _intervals;

    public async Task<T> WrapAsync<T>(Func<Task<T>> run)
    {
        if (!_live)
        {
            return await run();
        }

        T result = default!;
        await console.Live(new Text("")).AutoClear(false).StartAsync(async context =>
        {
            _context = context;
            result = await run();
        });
        _context = null;
        return result;
    }

    public void Phase(string message)
    {
        _phase = message;
        if (_context is null)
        {
            console.MarkupLineInterpolated($"  [grey]{message}[/]");
        }
        else
        {
            Show(new Markup($"  [grey]{Markup.Escape(message)}[/]"));
        }
    }

    public void Preload(long done, long total)
    {
        if (_context is not null)
        {
            Show(new Markup(string.Create(CultureInfo.InvariantCulture, $"  [grey]{Markup.Escape(_phase)}[/] {done * 100.0 / total:0}% ({done:N0}/{total:N0})")));
        }
        else if (done == total || Environment.TickCount64 - _lastPreloadPrint > 5000)
        {
            _lastPreloadPrint = Environment.TickCount64;
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  preload {done:N0}/{total:N0}");
        }
    }

    public void Interval(ProgressSample s)
    {
        if (s.IntervalSeconds < 0.5)
        {
            // The tail end of the run: too short for a rate worth printing; the summary follows.
            return;
        }

        var target = s.TargetRatePerSecond is { } t ? string.Create(CultureInfo.InvariantCulture, $" (target {t:0.#}/s)") : "";
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{s.ElapsedSeconds,6:0.0}s/{s.PlannedSeconds:0}s] rate {s.RatePerSecond:0.#}/s{target}  p99 {Figures.Ms(s.P99Ms)} ms  max {Figures.Ms(s.MaxMs)} ms  errors {s.Errors}");
        if (_context is not null)
        {
            Show(new Text("  " + line, new Style(s.Errors > 0 ? Color.Yellow : Color.Default)));
        }
        else if (_intervals++ % 5 == 0)
        {
            console.WriteLine("  " + line);
        }
    }

    private void Show(IRenderable renderable)
    {
        _context!.UpdateTarget(renderable);
        _context.Refresh();
    }
}
