using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>
/// Every native `/v1/score` item runs under a memory limit: <c>limits.memory_mb</c>, by default
/// <see cref="Endpoints.Native.NativeEndpoints.DefaultMemoryLimitMb"/>; a program past it is `memory_limit`.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class MemoryLimitTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    /// <summary>Allocates and touches 256 MB at a time until something stops it.</summary>
    private const string Bomb = "a = []\nwhile True:\n    a.append(bytearray(256 * 1024 * 1024))\n";

    /// <summary>Allocates and touches 200 MB once, then prints 1.</summary>
    private const string TwoHundredMb = "a = bytearray(200 * 1024 * 1024)\nprint(1)\n";

    private static readonly object PrintsOne = new { inputs = new[] { "" }, outputs = new[] { "1\n" } };

    private async Task<Dictionary<string, System.Text.Json.JsonElement>> ScoreAsync(object request)
    {
        var (status, body, _) = await Json.PostAsync(factory.CreateClient(), "/v1/score", request);
        Assert.Equal(200, status);
        return body.GetProperty("results").EnumerateArray().ToDictionary(r => r.Str("id"));
    }

    [SandboxFact]
    public async Task Memory_bombs_come_back_memory_limit_in_every_kind_of_test()
    {
        var r = await ScoreAsync(new
        {
            items = new object[]
            {
                new { id = "stdio", code = Bomb + "print(1)\n", tests = PrintsOne },
                new { id = "assert", code = "def f():\n" + string.Concat(Bomb.Split('\n').Select(l => "    " + l + "\n")) + "    return 1\n",
                    tests = new { assert_case = new[] { "assert f() == 1" } } },
            },
            limits = new { time_limit_s = 10.0 },
        });
        foreach (var id in new[] { "stdio", "assert" })
        {
            Assert.False(r[id].Bool("infra_error"));
            Assert.Equal((0.0, "memory_limit"), (r[id].Score()!.Value, r[id].Str("status")));
        }
    }

    [SandboxFact]
    public async Task The_memory_limit_is_the_requests_or_the_items_own()
    {
        var r = await ScoreAsync(new
        {
            items = new object[]
            {
                new { id = "default", code = TwoHundredMb, tests = PrintsOne },
                new { id = "item-64", code = TwoHundredMb, tests = PrintsOne, limits = new { memory_mb = 64 } },
                new { id = "assert-64", code = "def f():\n    a = bytearray(200 * 1024 * 1024)\n    return 1\n",
                    tests = new { assert_case = new[] { "assert f() == 1" } }, limits = new { memory_mb = 64 } },
                new { id = "assert-small", code = "def f():\n    return 1\n", tests = new { assert_case = new[] { "assert f() == 1" } },
                    limits = new { memory_mb = 64 } },
            },
            limits = new { time_limit_s = 10.0 },
        });
        Assert.Equal((1.0, "ok"), (r["default"].Score()!.Value, r["default"].Str("status")));
        Assert.Equal((0.0, "memory_limit"), (r["item-64"].Score()!.Value, r["item-64"].Str("status")));
        Assert.Equal((0.0, "memory_limit"), (r["assert-64"].Score()!.Value, r["assert-64"].Str("status")));
        // The smallest limit allowed still leaves the Python harness room to judge a small program.
        Assert.Equal((1.0, "ok"), (r["assert-small"].Score()!.Value, r["assert-small"].Str("status")));

        var (_, request, _) = await Json.PostAsync(factory.CreateClient(), "/v1/score", new
        {
            items = new object[] { new { id = "request-64", code = TwoHundredMb, tests = PrintsOne } },
            limits = new { memory_mb = 64 },
        });
        Assert.Equal("memory_limit", request.GetProperty("results")[0].Str("status"));
    }
}
