using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Assay.Server.Tests.Support;

/// <summary>The real server in-process (TestServer), with the real sandbox, configured through `Assay:*` settings.</summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;

    public ServerFactory() : this(new Dictionary<string, string>())
    {
    }

    protected ServerFactory(Dictionary<string, string> settings) => _settings = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Assay:Concurrency", "2");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }
}

/// <summary>A server that holds at most 4 items at once and reads bodies of at most 64 KB.</summary>
public sealed class SmallServerFactory() : ServerFactory(new Dictionary<string, string>
{
    ["Assay:MaxQueuedItems"] = "4",
    ["Assay:MaxItemsPerRequest"] = "8",
    ["Assay:MaxRequestBytes"] = "65536",
});

/// <summary>Tests that run programs go one after another: each uses every core.</summary>
[CollectionDefinition(Name)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox";
}
