using System.Text.Json;
using Assay.Core.Execution;
using Assay.Server.Endpoints.SandboxFusion;
using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>SandboxFusion's `/run_code` as verl's reward scorer calls it and reads it.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxFusionTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    /// <summary>Exactly the body verl's `call_sandbox_api` sends for one test case (verl/utils/reward_score/sandbox_fusion/utils.py).</summary>
    private static string VerlRequest(string code, string? stdin) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["compile_timeout"] = 10,
        ["run_timeout"] = 10,
        ["code"] = code,
        ["stdin"] = stdin,
        ["memory_limit_MB"] = 1024,
        ["language"] = "python",
        ["files"] = new Dictionary<string, string>(),
        ["fetch_files"] = Array.Empty<string>(),
    });

    /// <summary>verl's mapping of one response to a test result (True, False, -1 api error, -2 runtime error, -3 timeout, -4 compile error).</summary>
    private static object VerlCode(JsonElement r, string expected)
    {
        var status = r.Str("status");
        var run = r.GetProperty("run_result");
        var compile = r.GetProperty("compile_result");
        if (status == "Success" && run.ValueKind == JsonValueKind.Object && run.Str("status") == "Finished")
            return run.Str("stdout").TrimEnd('\n') == expected.TrimEnd('\n');
        if (status == "Failed")
        {
            if (compile.ValueKind == JsonValueKind.Object && (compile.Str("status") is "Error" or "TimeLimitExceeded"
                || (compile.Str("status") == "Finished" && compile.GetProperty("return_code").GetInt32() != 0))) return -4;
            if (run.ValueKind == JsonValueKind.Object && run.Str("status") == "TimeLimitExceeded") return -3;
            if (run.ValueKind == JsonValueKind.Object && (run.Str("status") == "Error"
                || (run.Str("status") == "Finished" && run.GetProperty("return_code").GetInt32() != 0))) return -2;
        }
        return -1;
    }

    [SandboxFact]
    public async Task Verls_exact_request_gets_the_fields_verl_reads()
    {
        var client = factory.CreateClient();
        var code = "n = int(input())\nprint(n * 2)\n";
        var (status, body, _) = await Json.PostRawAsync(client, "/run_code", VerlRequest(code, "21\n"));
        Assert.Equal(200, status);
        Assert.Equal("Success", body.Str("status"));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("compile_result").ValueKind);
        var run = body.GetProperty("run_result");
        Assert.Equal("Finished", run.Str("status"));
        Assert.Equal(0, run.Int("return_code"));
        Assert.Equal("42\n", run.Str("stdout"));
        Assert.True(run.GetProperty("execution_time").GetDouble() > 0);
        Assert.Equal(true, VerlCode(body, "42"));
        Assert.Equal(false, VerlCode(body, "43"));
        Assert.True(body.TryGetProperty("message", out _));
        Assert.True(body.TryGetProperty("executor_pod_name", out _));
        Assert.Equal(JsonValueKind.Object, body.GetProperty("files").ValueKind);
    }

    [SandboxFact]
    public async Task Failures_map_to_verls_runtime_error_and_timeout_codes()
    {
        var client = factory.CreateClient();
        var (_, crash, _) = await Json.PostRawAsync(client, "/run_code", VerlRequest("raise ValueError('no')", null));
        Assert.Equal("Failed", crash.Str("status"));
        Assert.Equal("Finished", crash.GetProperty("run_result").Str("status"));
        Assert.NotEqual(0, crash.GetProperty("run_result").Int("return_code"));
        Assert.Contains("ValueError", crash.GetProperty("run_result").Str("stderr"), StringComparison.Ordinal);
        Assert.Equal(-2, VerlCode(crash, ""));

        // verl's assert_case: the assert appended to the code, no stdin, passes on exit 0.
        var (_, assertFails, _) = await Json.PostRawAsync(client, "/run_code", VerlRequest("def f():\n    return 1\n\nassert f() == 2", null));
        Assert.Equal(-2, VerlCode(assertFails, ""));

        var body = JsonSerializer.Serialize(new { code = "while True:\n    pass", language = "python", run_timeout = 1 });
        var (_, loop, _) = await Json.PostRawAsync(client, "/run_code", body);
        Assert.Equal("Failed", loop.Str("status"));
        Assert.Equal("TimeLimitExceeded", loop.GetProperty("run_result").Str("status"));
        Assert.Equal(JsonValueKind.Null, loop.GetProperty("run_result").GetProperty("return_code").ValueKind);
        Assert.Equal(-3, VerlCode(loop, ""));
    }

    [LanguageFact("cpp")]
    public async Task A_cpp_compile_error_is_reported_in_compile_result_and_nothing_runs()
    {
        var (_, body, _) = await Json.PostRawAsync(factory.CreateClient(), "/run_code",
            JsonSerializer.Serialize(new { code = "int main() { return x; }", language = "cpp" }));
        Assert.Equal("Failed", body.Str("status"));
        Assert.Equal("Finished", body.GetProperty("compile_result").Str("status"));
        Assert.NotEqual(0, body.GetProperty("compile_result").Int("return_code"));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("run_result").ValueKind);
        Assert.Equal(-4, VerlCode(body, ""));
    }

    /// <summary>`public class Solution` (what models write) used to fail: Main.java may not declare a public Solution.</summary>
    [LanguageFact("java")]
    public async Task A_java_public_class_Solution_compiles_and_runs()
    {
        const string code = "import java.util.*;\n\npublic class Solution {\n    public static void main(String[] args) {\n"
            + "        System.out.println(new Scanner(System.in).nextInt() * 2);\n    }\n}\n";
        var (status, body, _) = await Json.PostRawAsync(factory.CreateClient(), "/run_code",
            JsonSerializer.Serialize(new { code, language = "java", stdin = "21\n" }));
        Assert.Equal(200, status);
        Assert.True(body.Str("status") == "Success", body.ToString());
        Assert.Equal("42\n", body.GetProperty("run_result").Str("stdout"));
        Assert.Equal(true, VerlCode(body, "42"));
    }

    [Fact]
    public void A_sandbox_fault_is_SandboxError_never_a_program_failure()
    {
        var report = new RunReport(ProcessReport.SandboxFault("bubblewrap could not start"), null);
        var response = RunCodeEndpoints.ToResponse(report);
        Assert.Equal("SandboxError", response.Status);
        Assert.Equal("Error", response.RunResult!.Status);
        Assert.Contains("bubblewrap", response.Message, StringComparison.Ordinal);

        var oom = RunCodeEndpoints.ToResponse(new RunReport(new ProcessReport { Status = RunStatus.MemoryLimit, Signal = 9 }, null));
        Assert.Equal(("Failed", "Finished", -9), (oom.Status, oom.RunResult!.Status, oom.RunResult.ReturnCode!.Value));
    }

    [SandboxFact]
    public async Task Ping_and_bad_requests()
    {
        var client = factory.CreateClient();
        Assert.Equal("\"pong\"", await client.GetStringAsync("/v1/ping"));
        var (status, body, _) = await Json.PostRawAsync(client, "/run_code", "{\"code\": \"print(1)\", \"language\": \"cobol\"}");
        Assert.Equal(400, status);
        Assert.Contains("unknown `cobol`", body.Str("error"), StringComparison.Ordinal);
        (status, body, _) = await Json.PostRawAsync(client, "/run_code", "{\"language\": \"python\"}");
        Assert.Equal(400, status);
        Assert.Contains("code", body.Str("error"), StringComparison.Ordinal);
        (status, body, _) = await Json.PostRawAsync(client, "/run_code", "{\"code\": \"1\", \"language\": \"python\", \"fetch_files\": [\"a\"]}");
        Assert.Equal(400, status);
        Assert.Contains("fetch_files", body.Str("error"), StringComparison.Ordinal);
    }
}
