using System.Net;
using System.Text;
using System.Text.Json;

namespace Assay.Server.Tests.Support;

/// <summary>
/// What verl's reward scorer does with a SandboxFusion URL (verl/utils/reward_score/sandbox_fusion/utils.py):
/// `call_sandbox_api` sends one body per test case, waits compile_timeout + run_timeout + 10 s for the answer,
/// retries only a 504 (after 1 s, then 2 s; three attempts in all) and treats anything else that is not a 2xx,
/// a time-out of its own or a body that is not JSON as an API error; `_process_single_case` maps the answer to
/// True/False or an error code. An API error (-1) is scored as a wrong answer, so a server must never cause one.
/// </summary>
internal sealed class VerlSandboxClient(HttpClient http)
{
    private const int MaxRetries = 3;
    private const int ApiTimeoutSeconds = 10;

    /// <summary>Test result codes as verl names them.</summary>
    public const int ApiError = -1;
    public const int RuntimeError = -2;
    public const int Timeout = -3;
    public const int CompileError = -4;

    /// <summary>Exactly the body `call_sandbox_api` sends.</summary>
    public static string Body(string code, string? stdin, int compileTimeout, int runTimeout, int memoryLimitMb = 1024, string language = "python") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["compile_timeout"] = compileTimeout,
            ["run_timeout"] = runTimeout,
            ["code"] = code,
            ["stdin"] = stdin,
            ["memory_limit_MB"] = memoryLimitMb,
            ["language"] = language,
            ["files"] = new Dictionary<string, string>(),
            ["fetch_files"] = Array.Empty<string>(),
        });

    /// <summary>`call_sandbox_api`: the answer, or the error verl would record (then the case is -1).</summary>
    /// <param name="timeout">verl passes the same `timeout` as compile_timeout and run_timeout.</param>
    public async Task<(JsonElement? Response, string? Error, int Attempts)> CallAsync(string code, string? stdin, int timeout, int memoryLimitMb = 1024,
        string language = "python")
    {
        var body = Body(code, stdin, timeout, timeout, memoryLimitMb, language);
        var requestTimeout = TimeSpan.FromSeconds(timeout + timeout + ApiTimeoutSeconds);
        string? lastError = null;
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            using var cts = new CancellationTokenSource(requestTimeout);
            HttpResponseMessage response;
            string text;
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                response = await http.PostAsync("/run_code", content, cts.Token);
                text = await response.Content.ReadAsStringAsync(cts.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                return (null, "API Request Error: " + (cts.IsCancellationRequested ? "read timed out" : ex.Message), attempt + 1);
            }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.GatewayTimeout)
                {
                    lastError = $"API Request Error: Gateway Timeout (504) on attempt {attempt + 1}/{MaxRetries}";
                    if (attempt < MaxRetries - 1) await Task.Delay(TimeSpan.FromSeconds(attempt + 1));
                    continue;
                }
                if (!response.IsSuccessStatusCode) return (null, $"API Request Error: {(int)response.StatusCode} {text}", attempt + 1);
                try
                {
                    return (JsonDocument.Parse(text).RootElement.Clone(), null, attempt + 1);
                }
                catch (JsonException ex)
                {
                    return (null, "API Response JSON Decode Error: " + ex.Message, attempt + 1);
                }
            }
        }
        return (null, lastError ?? "API Call Failed after retries", MaxRetries);
    }

    /// <summary>`_process_single_case`'s result: true/false for a finished run, else verl's error code.</summary>
    public static object ResultOf(JsonElement? answer, string? error, string expected)
    {
        if (error is not null || answer is not { } r) return ApiError;
        var status = r.TryGetProperty("status", out var s) ? s.GetString() : null;
        var run = r.TryGetProperty("run_result", out var rr) && rr.ValueKind == JsonValueKind.Object ? rr : (JsonElement?)null;
        var compile = r.TryGetProperty("compile_result", out var cr) && cr.ValueKind == JsonValueKind.Object ? cr : (JsonElement?)null;
        static string? Status(JsonElement? phase) => phase?.GetProperty("status").GetString();
        static bool NonZero(JsonElement? phase) => phase?.GetProperty("return_code") is not { ValueKind: JsonValueKind.Number } code || code.GetInt32() != 0;
        switch (status)
        {
            case "Failed":
                if (compile is not null && (Status(compile) is "Error" or "TimeLimitExceeded" || (Status(compile) == "Finished" && NonZero(compile))))
                    return CompileError;
                if (run is null) return ApiError;
                if (Status(run) == "TimeLimitExceeded") return Timeout;
                if (Status(run) == "Error" || (Status(run) == "Finished" && NonZero(run))) return RuntimeError;
                return ApiError;
            case "Success" when Status(run) == "Finished":
                var stdout = run!.Value.GetProperty("stdout").GetString() ?? "";
                return stdout.TrimEnd('\n') == expected.TrimEnd('\n');
            default:
                // SandboxError, an unknown status, or Success without a finished run.
                return ApiError;
        }
    }
}
