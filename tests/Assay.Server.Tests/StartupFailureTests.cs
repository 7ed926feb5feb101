using System.Net;
using System.Net.Sockets;

namespace Assay.Server.Tests;

/// <summary>
/// `assay serve` that cannot start says why in one line on stderr and exits 1: a port in use used to print the
/// host's 26-line logged stack trace on stdout (where a supervisor reading the address looks) before it.
/// </summary>
public sealed class StartupFailureTests
{
    [SandboxFact]
    public async Task A_port_in_use_is_one_line_on_stderr_and_exit_1()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = AssayProcess.Start(["serve", "--port", port, "--host", "127.0.0.1", "-j", "1"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var (exit, stdout, stderr) = await process.WaitAsync(timeout.Token);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exit == 1, $"exit {exit}\nstdout: {stdout}\nstderr: {stderr}");
        Assert.Equal("", stdout);
        Assert.Single(lines);
        Assert.StartsWith($"assay: cannot listen on 127.0.0.1:{port}", lines[0]);
        Assert.Contains("address already in use", lines[0]);
    }

    /// <summary>serve has no `--no-store` (it keeps no store unless given one): its advice for a bad store says so.</summary>
    [SandboxFact]
    public async Task A_store_that_is_not_a_store_is_refused_with_advice_serve_can_follow()
    {
        using var dir = new TempDir();
        var store = dir.PathOf("notes.db");
        await File.WriteAllTextAsync(store, "these are my notes, not a database\n");

        using var process = AssayProcess.Start(["serve", "--port", "0", "--host", "127.0.0.1", "-j", "1", "--store", store]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var (exit, _, stderr) = await process.WaitAsync(timeout.Token);

        Assert.True(exit == 2, $"exit {exit}: {stderr}");
        Assert.Contains("not an Assay verdict store", stderr);
        Assert.Contains("leave out --store", stderr);
        Assert.DoesNotContain("--no-store", stderr);
        Assert.Equal("these are my notes, not a database\n", await File.ReadAllTextAsync(store));
    }
}
