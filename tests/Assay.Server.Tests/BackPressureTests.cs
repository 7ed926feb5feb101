using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>A server that holds 4 items: past that it refuses at once, with a reason and a Retry-After.</summary>
[Collection(SandboxCollection.Name)]
public sealed class BackPressureTests(SmallServerFactory factory) : IClassFixture<SmallServerFactory>
{
    private static object Items(int n, string code) => new
    {
        items = Enumerable.Range(0, n).Select(i => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), code = code + $"\n# {i}\n",
            tests = new { assert_case = new[] { "assert f() == 1" } } }).ToArray(),
        limits = new { time_limit_s = 1.5 },
    };

    [SandboxFact]
    public async Task A_full_queue_answers_429_with_retry_after_and_the_admitted_work_still_completes()
    {
        var client = factory.CreateClient();
        // Four items that each loop until their 1.5 s limit fill the queue for a while.
        var slow = Json.PostAsync(client, "/v1/score", Items(4, "def f():\n    while True:\n        pass"));
        var health = factory.Services.GetService(typeof(Admission.AdmissionGate)) as Admission.AdmissionGate;
        for (var i = 0; i < 200 && health!.Admitted < 4; i++) await Task.Delay(10);
        Assert.Equal(4, health!.Admitted);

        var (status, body, response) = await Json.PostAsync(client, "/v1/score", Items(1, "def f():\n    return 1"));
        Assert.Equal(429, status);
        Assert.Contains("queue is full", body.Str("error"), StringComparison.Ordinal);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);

        var (slowStatus, slowBody, _) = await slow;
        Assert.Equal(200, slowStatus);
        Assert.All(slowBody.GetProperty("results").EnumerateArray(), r => Assert.Equal("time_limit", r.Str("status")));
        // Once the queue has drained the same request is admitted and judged.
        var (again, againBody, _) = await Json.PostAsync(client, "/v1/score", Items(1, "def f():\n    return 1"));
        Assert.Equal(200, again);
        Assert.Equal(1.0, againBody.GetProperty("results")[0].Score());
    }

    [SandboxFact]
    public async Task More_items_than_the_server_ever_holds_get_413()
    {
        var (status, body, _) = await Json.PostAsync(factory.CreateClient(), "/v1/score", Items(5, "def f():\n    return 1"));
        Assert.Equal(413, status);
        Assert.Contains("split the request", body.Str("error"), StringComparison.Ordinal);
        var (tooMany, tooManyBody, _) = await Json.PostAsync(factory.CreateClient(), "/v1/score", Items(9, "def f():\n    return 1"));
        Assert.Equal(413, tooMany);
        Assert.Contains("at most 8 per request", tooManyBody.Str("error"), StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task A_body_over_the_size_limit_gets_413()
    {
        var big = new string('#', 100_000);
        var (status, body, _) = await Json.PostRawAsync(factory.CreateClient(), "/v1/score", System.Text.Json.JsonSerializer.Serialize(Items(1, big)));
        Assert.Equal(413, status);
        Assert.Contains("larger than this server accepts", body.Str("error"), StringComparison.Ordinal);
    }
}
