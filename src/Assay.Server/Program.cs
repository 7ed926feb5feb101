namespace Assay.Server;

/// <summary>
/// The server on its own (`dotnet Assay.Server.dll --Assay:Concurrency=2 --urls http://127.0.0.1:8080`), and the
/// entry point WebApplicationFactory starts in tests. Users start it with `assay serve`.
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task Main(string[] args)
    {
        await using var app = ServerHost.Build(args);
        await app.RunAsync();
    }
}
