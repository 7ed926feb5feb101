using System.Text.Json;

namespace Assay.Cli.Tests;

/// <summary>`assay run`'s public contract: JSON fields, statuses and exit codes, as the README documents them.</summary>
public sealed class RunCommandContractTests
{
    private static readonly string[] DocumentedFields =
    [
        "status", "exit_code", "signal", "stdout", "stderr", "wall_time_ms", "cpu_time_ms", "peak_memory_kb",
        "stdout_truncated", "stderr_truncated", "message", "cached", "language", "toolchain_version", "compile",
    ];

    [SandboxFact]
    public async Task Json_output_has_every_documented_field()
    {
        var (exit, stdout, _) = await AssayCli.RunAsync("run", "--lang", "python", "--code", "print(6*7)", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        foreach (var field in DocumentedFields) Assert.True(root.TryGetProperty(field, out _), $"missing field {field}");
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal("42\n", root.GetProperty("stdout").GetString());
        Assert.Equal(0, root.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("compile").ValueKind);
        Assert.True(root.GetProperty("wall_time_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("peak_memory_kb").GetInt64() > 0);
    }

    [SandboxFact]
    public async Task Stdin_file_reaches_the_program()
    {
        var input = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(input, "3 4\n");
            var (exit, stdout, _) = await AssayCli.RunAsync("run", "--lang", "python", "--code",
                "a, b = map(int, input().split()); print(a * b)", "--stdin", input, "--json");
            Assert.Equal(ExitCodes.Success, exit);
            Assert.Equal("12\n", JsonDocument.Parse(stdout).RootElement.GetProperty("stdout").GetString());
        }
        finally
        {
            File.Delete(input);
        }
    }

    [SandboxFact]
    public async Task A_failing_program_still_exits_zero_with_its_status()
    {
        var (exit, stdout, _) = await AssayCli.RunAsync("run", "--lang", "python", "--code", "import sys; sys.exit(5)", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("runtime_error", root.GetProperty("status").GetString());
        Assert.Equal(5, root.GetProperty("exit_code").GetInt32());
    }

    [SandboxFact]
    public async Task Time_limit_option_applies()
    {
        var (exit, stdout, _) = await AssayCli.RunAsync("run", "--lang", "python", "--code", "while True: pass", "--time-limit", "0.5", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("time_limit", root.GetProperty("status").GetString());
        Assert.InRange(root.GetProperty("cpu_time_ms").GetDouble(), 400, 3000);
    }

    [SandboxFact]
    public async Task Memory_limit_option_applies()
    {
        var (exit, stdout, _) = await AssayCli.RunAsync("run", "--lang", "python", "--code",
            "x = []\nwhile True: x.append(bytearray(8 << 20))", "--memory-limit", "64", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("memory_limit", JsonDocument.Parse(stdout).RootElement.GetProperty("status").GetString());
    }

    /// <summary>
    /// Memory bombs with a 10 s CPU limit (31 s of wall clock): each is `memory_limit`, and it is said as soon as memory
    /// ran out — the bomb in a child whose parent then sleeps too, which used to wait for the wall limit — and a
    /// single request larger than the machine, which the kernel refuses (MemoryError) before any limit is reached.
    /// </summary>
    [SandboxFact]
    public async Task Memory_bombs_are_memory_limit_long_before_the_wall_limit()
    {
        string[] bombs =
        [
            "x = []\nwhile True: x.append(bytearray(10**7))",
            "s = ' ' * 10**11",
            "x = [0]\nwhile True: x = x + x",
            "import subprocess, sys, time\nsubprocess.run([sys.executable, '-c', 'x = []\\nwhile True: x.append(bytearray(10**7))'])\ntime.sleep(1000)",
        ];
        foreach (var bomb in bombs)
        {
            var (exit, stdout, _) = await AssayCli.RunAsync("run", "--lang", "python", "--code", bomb, "--time-limit", "10",
                "--memory-limit", "128", "--json");
            Assert.Equal(ExitCodes.Success, exit);
            var root = JsonDocument.Parse(stdout).RootElement;
            Assert.True(root.GetProperty("status").GetString() == "memory_limit", bomb + ": " + stdout);
            // 128 MB take well under a second of CPU; the wall limit is 31 s.
            Assert.True(root.GetProperty("wall_time_ms").GetDouble() < 10_000, bomb + ": " + stdout);
        }
    }

    [ToolchainFact("c")]
    public async Task Compile_error_reports_the_compile_step()
    {
        var (exit, stdout, _) = await AssayCli.RunAsync("run", "--lang", "c", "--code", "int main( { return 0; }", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("compile_error", root.GetProperty("status").GetString());
        var compile = root.GetProperty("compile");
        Assert.Equal("runtime_error", compile.GetProperty("status").GetString());
        Assert.Contains("error", compile.GetProperty("stderr").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [SandboxFact]
    public async Task Human_output_prints_the_program_output_and_a_verdict_line()
    {
        var (exit, stdout, stderr) = await AssayCli.RunAsync("run", "--lang", "py", "--code", "print('hi')");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("hi\n", stdout);
        Assert.Contains("assay: ok", stderr);
    }

    [Fact]
    public async Task Unknown_language_is_bad_input()
    {
        var (exit, _, stderr) = await AssayCli.RunAsync("run", "--lang", "cobol-2099", "--code", "x");
        // Without a sandbox the command stops earlier with exit 1; with one, the language check says 2.
        if (Assay.Execution.Sandboxing.SandboxHost.Probe().Host is null) Assert.Equal(ExitCodes.AssayFault, exit);
        else
        {
            Assert.Equal(ExitCodes.BadInput, exit);
            Assert.Contains("unknown language", stderr);
        }
    }

    [Fact]
    public async Task File_and_code_together_are_bad_input()
    {
        var (exit, _, stderr) = await AssayCli.RunAsync("run", "--lang", "python", "--code", "x", "--file", "/nonexistent.py");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("exactly one", stderr);
    }

    [Fact]
    public async Task Missing_lang_is_bad_input()
    {
        var (exit, _, stderr) = await AssayCli.RunAsync("run", "--code", "print(1)");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--lang", stderr);
    }

    [Fact]
    public async Task Unreadable_source_file_is_bad_input()
    {
        var (exit, _, stderr) = await AssayCli.RunAsync("run", "--lang", "python", "--file", "/nonexistent/dir/x.py");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("cannot read", stderr);
    }

    [Fact]
    public async Task Unknown_option_is_bad_input()
    {
        var (exit, _, _) = await AssayCli.RunAsync("run", "--lang", "python", "--frobnicate");
        Assert.Equal(ExitCodes.BadInput, exit);
    }

    [Fact]
    public async Task Out_of_range_time_limit_is_bad_input()
    {
        var (exit, _, stderr) = await AssayCli.RunAsync("run", "--lang", "python", "--code", "pass", "--time-limit", "-1");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--time-limit", stderr);
    }

    [SandboxFact]
    public async Task Toolchains_json_lists_every_shipped_language()
    {
        var (exit, stdout, _) = await AssayCli.RunAsync("toolchains", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        var names = rows.Select(r => r.GetProperty("name").GetString()).ToHashSet();
        foreach (var lang in new[] { "python", "javascript", "typescript", "c", "cpp", "java", "csharp", "go", "rust", "bash", "lua", "ruby", "php" })
            Assert.Contains(lang, names);
        foreach (var row in rows)
        {
            // Each row says either the version found or what is missing — never neither.
            var available = row.GetProperty("available").GetBoolean();
            Assert.Equal(available, row.GetProperty("version").ValueKind == JsonValueKind.String);
            Assert.Equal(!available, row.GetProperty("problem").ValueKind == JsonValueKind.String);
        }
        Assert.True(rows.Single(r => r.GetProperty("name").GetString() == "python").GetProperty("available").GetBoolean());
    }
}
