using System.Diagnostics;
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
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "assay.dll"), "serve", "--port", port, "--host", "127.0.0.1", "-j", "1" }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}\nstdout: {await stdout}\nstderr: {await stderr}");
        Assert.Equal("", await stdout);
        Assert.Single(lines);
        Assert.StartsWith($"assay: cannot listen on 127.0.0.1:{port}", lines[0]);
        Assert.Contains("address already in use", lines[0]);
    }
}
