using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Assay.Server.Tests;

/// <summary>The server's options are bound from configuration (or given by `assay serve`) and validated as the host starts.</summary>
public sealed class ServeOptionsTests
{
    [Fact]
    public async Task Starting_the_host_with_a_bad_option_fails_with_a_message_naming_it()
    {
        // Validation comes before anything is started: no sandbox is created for a server that cannot run.
        await using var app = ServerHost.Build([], new ServeOptions { Port = 0, Concurrency = 0 });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Assay:Concurrency (--concurrency) must be between 1 and 256, not 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_configured_duration_fails_the_start_naming_the_setting()
    {
        await using (var app = ServerHost.Build(["--Assay:RunCodeQueueDeadline=00:00:00", "--Assay:MaxQueuedItems=0"]))
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("Assay:RunCodeQueueDeadline must be positive and at most 00:10:00, not 00:00:00", error.Message, StringComparison.Ordinal);
            Assert.Contains("Assay:MaxQueuedItems (--max-queue) must be at least 1, not 0", error.Message, StringComparison.Ordinal);
        }
        await using (var app = ServerHost.Build(["--Assay:DefaultDeadline=5s"]))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
            Assert.Contains("Assay:DefaultDeadline", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Durations_and_limits_are_bound_from_configuration()
    {
        await using var app = ServerHost.Build(["--Assay:DefaultDeadline=00:00:42", "--Assay:BatchWindow=00:00:00.020", "--Assay:Concurrency=3",
            "--Assay:RunCodeSandboxes=7"]);
        var options = app.Services.GetRequiredService<ServeOptions>();
        Assert.Equal(TimeSpan.FromSeconds(42), options.DefaultDeadline);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.BatchWindow);
        Assert.Equal((3, 7), (options.Concurrency, options.RunCodeSandboxes));
        Assert.Equal(new ServeOptions().RunCodeQueueDeadline, options.RunCodeQueueDeadline);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = new ServeOptions { Host = "localhost", Port = 70000, DrainTimeout = TimeSpan.FromSeconds(-1) }.Problems();
        Assert.Equal(
            ["Assay:Host (--host) must be an IP address, not `localhost`", "Assay:Port (--port) must be between 0 and 65535, not 70000",
                "Assay:DrainTimeout (--drain-timeout) must be zero or positive, not -00:00:01"],
            problems);
        Assert.Empty(new ServeOptions().Problems());
    }
}
