using System.Diagnostics;

namespace Assay.Bench.Measurement;

/// <summary>Starting a baseline's bubblewrap process so that it is not killed under the benchmark's feet.</summary>
internal static class BaselineProcess
{
    /// <summary>
    /// Starts the process from a thread that lives until the process ends: bwrap's --die-with-parent is the
    /// kernel's parent-death signal, which fires when the forking *thread* exits, and a thread-pool thread may
    /// retire while the baseline is still running (it did: SIGKILL after twenty seconds).
    /// </summary>
    public static Task<Process> StartOnOwnThreadAsync(ProcessStartInfo psi, string threadName)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Process? process;
            try
            {
                process = Process.Start(psi) ?? throw new BenchmarkException("could not start " + psi.FileName);
            }
            catch (Exception ex)
            {
                started.SetException(ex);
                return;
            }
            started.SetResult(process);
            try
            {
                process.WaitForExit();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // The caller disposed it after seeing it exit: this thread has nothing left to keep alive.
            }
        })
        {
            IsBackground = true,
            Name = threadName,
        };
        thread.Start();
        return started.Task;
    }
}
