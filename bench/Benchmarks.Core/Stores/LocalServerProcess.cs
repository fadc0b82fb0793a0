using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Benchmarks.Core.Stores;

/// <summary>
/// A store server the harness starts for a run (garnet-server, a local Cosmos server...): started as a
/// child process on a loopback port, ready when its probe answers (never after a fixed sleep), and
/// killed with its process tree when disposed, when the run is cancelled, or when the harness exits.
/// A scripted fault may pause it (SIGSTOP to its whole tree: it keeps its connections and answers
/// nothing), kill it, and start it again on the same port with the same command.
/// </summary>
public sealed partial class LocalServerProcess : IAsyncDisposable
{
    private const int SignalContinue = 18;
    private const int SignalStop = 19;

    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ProcessStartInfo _start;
    private readonly Func<int, CancellationToken, Task<bool>> _ready;
    private readonly TimeSpan _timeout;
    private Process _process;

    static LocalServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private LocalServerProcess(Process process, string name, int port, ProcessStartInfo start, Func<int, CancellationToken, Task<bool>> ready, TimeSpan timeout)
    {
        _process = process;
        Name = name;
        Port = port;
        _start = start;
        _ready = ready;
        _timeout = timeout;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>The last lines the server printed, for error messages.</summary>
    public string OutputTail => string.Join(Environment.NewLine, _output.TakeLast(20));

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the process and waits until <paramref name="ready"/> returns true, the process dies, or <paramref name="timeout"/> passes.</summary>
    public static async Task<LocalServerProcess> StartAsync(string name, ProcessStartInfo start, int port,
        Func<int, CancellationToken, Task<bool>> ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var server = new LocalServerProcess(Launch(name, start), name, port, start, ready, timeout);
        try
        {
            await server.WaitReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static Process Launch(string name, ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new StoreUnavailableException($"{name} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new StoreUnavailableException($"{name} could not be started ({start.FileName}): {e.Message}", e);
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var process = _process;
        Running[process.Id] = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < _timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new StoreUnavailableException($"{Name} exited with code {process.ExitCode} before it was ready:{Environment.NewLine}{OutputTail}");
            }

            if (await _ready(Port, cancellationToken))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new StoreUnavailableException($"{Name} was not ready on 127.0.0.1:{Port} after {_timeout.TotalSeconds:0} s:{Environment.NewLine}{OutputTail}");
    }

    /// <summary>Stops the server and every process it started (SIGSTOP): connections stay open and nothing answers.</summary>
    public void Pause() => Signal(SignalStop);

    /// <summary>Lets a paused server go on (SIGCONT).</summary>
    public void Resume() => Signal(SignalContinue);

    /// <summary>Kills the server and its process tree at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        Running.TryRemove(_process.Id, out _);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Starts the server again, with the same command on the same port, and waits until it answers.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        _process.Dispose();
        _process = Launch(Name, _start);
        await WaitReadyAsync(cancellationToken);
    }

    private void Signal(int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("pausing a local server needs Linux signals");
        }

        foreach (var pid in Tree(_process.Id))
        {
            _ = SendSignal(pid, signal);
        }
    }

    /// <summary>The process and its descendants, from /proc (a dotnet tool runs its server as a child of the launcher).</summary>
    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    // stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its closing parenthesis.
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                    // The process ended while we looked.
                }
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(_process.Id, out _);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    private static void KillAll()
    {
        foreach (var p in Running.Values)
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
