using System.Diagnostics;
using System.Globalization;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;

namespace Benchmarks.Core.Faults;

/// <summary>
/// Runs a window's scripted faults against its stores at their times, each in its own task, and records when
/// each actually started and ended. Whatever happens to the run (its end, an abort, Ctrl-C), a paused server is
/// let go and a killed one started again before the injector returns, so the store is left as it was found.
/// </summary>
public sealed class FaultInjector(IReadOnlyList<FaultDefinition> faults, Func<string?, IFaultTarget?> targets, IRunProgress progress)
{
    private readonly Window[] _windows = [.. faults.Select(f => new Window(f))];
    private long _measureStart;

    /// <summary>How many faults the window has.</summary>
    public int Count => _windows.Length;

    /// <summary>Starts every fault relative to <paramref name="measureStartTicks"/>; completes when the last is over.</summary>
    public Task RunAsync(long measureStartTicks, CancellationToken cancellationToken)
    {
        _measureStart = measureStartTicks;
        return Task.WhenAll(_windows.Select(w => RunAsync(w, cancellationToken)));
    }

    /// <summary>The phase of an interval [<paramref name="from"/>, <paramref name="to"/>) in seconds from the measured window's start, as known now.</summary>
    public string PhaseOf(double from, double to)
    {
        var now = Seconds(Timing.Now);
        if (_windows.Any(w => w.Overlaps(from, to, now)))
        {
            return Phases.During;
        }

        return _windows.Any(w => w.End is { } e && e <= from) ? Phases.After : Phases.Before;
    }

    /// <summary>
    /// For each fault, the phase of the interval [<paramref name="from"/>, <paramref name="to"/>) with respect to it alone: during (it
    /// overlaps the fault), after (it follows the fault's end and no other fault, before the next fault starts), or null.
    /// </summary>
    public string?[] PhasesByFault(double from, double to)
    {
        var now = Seconds(Timing.Now);
        var overlapsAny = _windows.Any(w => w.Overlaps(from, to, now));
        var order = _windows.Select((w, i) => (w, i)).OrderBy(x => x.w.Fault.At).ToList();
        var phases = new string?[_windows.Length];
        for (var k = 0; k < order.Count; k++)
        {
            var (w, i) = order[k];
            if (w.Overlaps(from, to, now))
            {
                phases[i] = Phases.During;
            }
            else if (!overlapsAny && w.End is { } e && e <= from && (k + 1 == order.Count || order[k + 1].w.Start is not { } next || next >= to))
            {
                phases[i] = Phases.After;
            }
        }

        return phases;
    }

    /// <summary>The faults as they happened (recovery is added by the runner, which knows the SLA).</summary>
    public IReadOnlyList<FaultResult> Results => [.. _windows.Select(w => new FaultResult(w.Fault.ActionName, w.Fault.Target ?? "store",
        w.Fault.At.TotalSeconds, w.Fault.Duration.TotalSeconds, Round(w.Start), Round(w.End)) { Error = w.Error, Output = w.Output })];

    private static double? Round(double? seconds) => seconds is { } s ? Math.Round(s, 3) : null;

    private double Seconds(long ticks) => Timing.ToSeconds(ticks - _measureStart);

    private async Task RunAsync(Window w, CancellationToken cancellationToken)
    {
        var fault = w.Fault;
        var target = fault.Action == FaultAction.Command ? null : targets(fault.Target);
        try
        {
            await WaitUntilAsync(fault.At, cancellationToken);
            progress.Phase(string.Create(CultureInfo.InvariantCulture, $"fault: {fault.ActionName} {fault.Target ?? "the store"} at {Seconds(Timing.Now):0.###} s"));
            if (fault.Action != FaultAction.Command && target is null)
            {
                throw new InvalidOperationException($"store '{fault.Target ?? "store"}' cannot take faults");
            }

            switch (fault.Action)
            {
                case FaultAction.Pause:
                    var paused = Local(target!);
                    paused.Pause();
                    w.Start = Seconds(Timing.Now);
                    try
                    {
                        await Task.Delay(fault.Duration, cancellationToken);
                    }
                    finally
                    {
                        paused.Resume();
                        w.End = Seconds(Timing.Now);
                    }

                    break;
                case FaultAction.Kill:
                    var killed = Local(target!);
                    await killed.KillAsync();
                    w.Start = Seconds(Timing.Now);
                    try
                    {
                        await Task.Delay(fault.Duration, cancellationToken);
                    }
                    finally
                    {
                        // Started again even when the run is stopping: the store is left as it was found.
                        await killed.RestartAsync(CancellationToken.None);
                        w.End = Seconds(Timing.Now);
                    }

                    break;
                case FaultAction.DropConnections:
                    w.Start = Seconds(Timing.Now);
                    await target!.DropConnectionsAsync(cancellationToken);
                    w.End = Seconds(Timing.Now);
                    break;
                case FaultAction.Slow:
                    w.Start = Seconds(Timing.Now);
                    await target!.SlowAsync(fault.Duration, cancellationToken);
                    w.End = Seconds(Timing.Now);
                    break;
                default:
                    w.Start = Seconds(Timing.Now);
                    var output = await ShellAsync(fault.Command!, cancellationToken);
                    if (fault.EndCommand is { } end)
                    {
                        await WaitUntilAsync(fault.At + fault.Duration, cancellationToken);
                        output += "\n" + await ShellAsync(end, cancellationToken);
                    }

                    w.End = Seconds(Timing.Now);
                    w.Output = output.Trim();
                    break;
            }

            progress.Phase(string.Create(CultureInfo.InvariantCulture, $"fault: {fault.ActionName} over at {w.End:0.###} s"));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run stopped first: a fault that never started is reported without a start.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            w.Error = $"{fault.ActionName} of {fault.Target ?? "the store"} failed: {e.GetType().Name}: {e.Message}";
            w.End ??= w.Start is null ? null : Seconds(Timing.Now);
            progress.Phase("fault: " + w.Error);
        }
    }

    private static LocalServerProcess Local(IFaultTarget target) => target.LocalServer
        ?? throw new InvalidOperationException("pause and kill need a server the harness started (connection: local or embedded); use command for one it did not");

    /// <summary>Waits until <paramref name="at"/> into the measured window, never less: a timer may fire a little early, and a fault starts at its time or after it.</summary>
    private async Task WaitUntilAsync(TimeSpan at, CancellationToken cancellationToken)
    {
        var due = _measureStart + Timing.FromTimeSpan(at);
        while (Timing.Now < due)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.001, Timing.ToSeconds(due - Timing.Now))), cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="command"/> with /bin/sh; a non-zero exit is the fault's failure.</summary>
    private static async Task<string> ShellAsync(string command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = string.Join('\n', (await stdout + await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(10));
        return process.ExitCode == 0 ? output
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the command exited with code {process.ExitCode}: {output}"));
    }

    /// <summary>One fault as it goes: written by its task, read once a second by the snapshot thread.</summary>
    private sealed class Window(FaultDefinition fault)
    {
        private readonly Lock _gate = new();
        private double? _start;
        private double? _end;

        public FaultDefinition Fault => fault;

        public double? Start
        {
            get { lock (_gate) { return _start; } }
            set { lock (_gate) { _start = value; } }
        }

        public double? End
        {
            get { lock (_gate) { return _end; } }
            set { lock (_gate) { _end = value; } }
        }

        public string? Error { get; set; }

        /// <summary>Whether the fault, from its start to its end (or <paramref name="now"/> while it lasts), overlaps [<paramref name="from"/>, <paramref name="to"/>).</summary>
        public bool Overlaps(double from, double to, double now) => Start is { } start && start < to && (End ?? now) > from;

        public string? Output { get; set; }
    }
}
