using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Benchmarks.Core.Stores;

/// <summary>
/// A store server the harness starts for a run (garnet-server, a local Cosmos server...): started as a
/// child process on a loopback port, ready when its probe answers (never after a fixed sleep), and
/// killed with its process tree when disposed, when the run is cancelled, or when the harness exits.
/// </summary>
public sealed class LocalServerProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    static LocalServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private LocalServerProcess(Process process, string name, int port)
    {
        _process = process;
        Name = name;
        Port = port;
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
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new StoreUnavailableException($"{name} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new StoreUnavailableException($"{name} could not be started ({start.FileName}): {e.Message}", e);
        }

        var server = new LocalServerProcess(process, name, port);
        Running[process.Id] = process;
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        try
        {
            while (deadline.Elapsed < timeout)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (process.HasExited)
                {
                    throw new StoreUnavailableException($"{name} exited with code {process.ExitCode} before it was ready:{Environment.NewLine}{server.OutputTail}");
                }

                if (await ready(port, cancellationToken))
                {
                    return server;
                }

                await Task.Delay(50, cancellationToken);
            }

            throw new StoreUnavailableException($"{name} was not ready on 127.0.0.1:{port} after {timeout.TotalSeconds:0} s:{Environment.NewLine}{server.OutputTail}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

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
