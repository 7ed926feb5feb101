using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Assay.Server.Tests.Support;

/// <summary>The real server on real Kestrel on loopback, in this process, with the options given (else the defaults).</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts on a free port; <paramref name="options"/> null means every default of <see cref="ServeOptions"/>.</summary>
    public static async Task<LoopbackServer> StartAsync(ServeOptions? options = null)
    {
        var app = ServerHost.Build([], (options ?? new ServeOptions()) with { Host = "127.0.0.1", Port = 0 });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
