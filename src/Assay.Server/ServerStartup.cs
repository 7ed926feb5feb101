using Assay.Server.Admission;
using Assay.Server.Judging;
using Assay.Server.Metrics;

namespace Assay.Server;

/// <summary>
/// What the server does while the host starts, after its options were validated and before it listens: creates
/// the sandboxes and resolves what the first requests need, so that a burst arriving at once (verl sends a
/// hundred `/run_code` requests the moment training starts) finds them ready instead of each request thread
/// blocking on their creation; and wires the gauges and the drain on shutdown.
/// </summary>
internal sealed class ServerStartup(IServiceProvider services, IHostApplicationLifetime lifetime) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var engine = services.GetRequiredService<JudgeEngine>();
        await engine.WarmUpAsync().WaitAsync(cancellationToken);
        var gate = services.GetRequiredService<AdmissionGate>();
        var metrics = services.GetRequiredService<ServerMetrics>();
        metrics.QueueDepth = () => gate.Queued;
        metrics.InFlight = () => gate.Running;
        metrics.QueueCapacity = () => gate.Capacity;
        // New requests are refused (503) from the moment shutdown starts; admitted work still finishes.
        lifetime.ApplicationStopping.Register(gate.BeginDraining);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
