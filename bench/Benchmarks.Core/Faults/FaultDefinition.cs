namespace Benchmarks.Core.Faults;

/// <summary>What a scripted fault does to its store.</summary>
public enum FaultAction
{
    /// <summary>Kill the local server (SIGKILL to its tree) and start it again after the duration.</summary>
    Kill,

    /// <summary>Stop the local server (SIGSTOP) for the duration, then let it go on (SIGCONT).</summary>
    Pause,

    /// <summary>Close every client connection on the server's side.</summary>
    DropConnections,

    /// <summary>Keep the server from answering the workload for the duration while it stays up.</summary>
    Slow,

    /// <summary>Run a command (an <c>az</c> call, a Chaos Studio experiment), and optionally another at the end.</summary>
    Command,
}

/// <summary>One entry of <c>faults:</c>; times are from the start of the measured window.</summary>
/// <param name="Target">The store acted on: its name in <c>stores:</c> of a flow scenario; null for the scenario's one store.</param>
/// <param name="Command">For <see cref="FaultAction.Command"/>: run with <c>/bin/sh -c</c> at <see cref="At"/>.</param>
/// <param name="EndCommand">For <see cref="FaultAction.Command"/>: run at <see cref="At"/> + <see cref="Duration"/> (undoing the first), if given.</param>
public sealed record FaultDefinition(FaultAction Action, TimeSpan At, TimeSpan Duration, string? Target, string? Command, string? EndCommand)
{
    public static IReadOnlyDictionary<string, FaultAction> Actions { get; } = new Dictionary<string, FaultAction>(StringComparer.Ordinal)
    {
        ["kill"] = FaultAction.Kill,
        ["pause"] = FaultAction.Pause,
        ["drop-connections"] = FaultAction.DropConnections,
        ["slow"] = FaultAction.Slow,
        ["command"] = FaultAction.Command,
    };

    public string ActionName => NameOf(Action);

    /// <summary>An action's name as scenarios write it.</summary>
    public static string NameOf(FaultAction action) => Actions.First(a => a.Value == action).Key;
}
