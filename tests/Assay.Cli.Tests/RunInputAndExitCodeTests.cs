namespace Assay.Cli.Tests;

/// <summary>
/// `assay run` as a shell command: piped standard input reaches the program (`echo 21 | assay run ...` used to run it
/// with no input), and `--exit-code` makes Assay exit with the program's own code, or a documented one for how it
/// ended. The pipe tests start a real `assay` process so that standard input is a real pipe.
/// </summary>
public sealed class RunInputAndExitCodeTests : IDisposable
{
    private const string Twice = "print(int(input()) * 2)";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<CliResult> Bash(string script) => AssayProcess.ShellAsync(script);

    [SandboxFact]
    public async Task Piped_stdin_reaches_the_program()
    {
        var (exit, stdout, stderr) = await Bash($"echo 21 | ASSAY run --lang python --code '{Twice}'");
        Assert.True(exit == ExitCodes.Success, stderr);
        Assert.Equal("42\n", stdout);
        Assert.Contains("assay: ok", stderr);
    }

    [SandboxFact]
    public async Task A_redirected_file_reaches_the_program_and_stdin_option_wins_over_the_pipe()
    {
        var input = _dir.PathOf("in.txt");
        await File.WriteAllTextAsync(input, "5\n");
        var redirected = await Bash($"ASSAY run --lang python --code '{Twice}' --json < '{input}'");
        Assert.True(redirected.ExitCode == ExitCodes.Success, redirected.Stderr);
        Assert.Equal("10\n", System.Text.Json.JsonDocument.Parse(redirected.Stdout).RootElement.GetProperty("stdout").GetString());
        var both = await Bash($"echo 21 | ASSAY run --lang python --code '{Twice}' --stdin '{input}'");
        Assert.True(both.ExitCode == ExitCodes.Success, both.Stderr);
        Assert.Equal("10\n", both.Stdout);
    }

    [SandboxFact]
    public async Task Exit_code_option_exits_with_the_program_s_code_through_a_shell()
    {
        var (exit, stdout, stderr) = await Bash("echo 7 | ASSAY run --lang python --code 'import sys; n = int(input()); print(n); sys.exit(n)' --exit-code");
        Assert.True(exit == 7, $"exit {exit}: {stderr}");
        Assert.Equal("7\n", stdout);
    }

    [SandboxFact]
    public async Task Exit_code_option_passes_the_program_s_own_code_and_zero_on_success()
    {
        Assert.Equal(ExitCodes.Success, (await AssayCli.RunAsync("run", "--lang", "python", "--code", "print(1)", "--exit-code")).ExitCode);
        Assert.Equal(42, (await AssayCli.RunAsync("run", "--lang", "python", "--code", "import sys; sys.exit(42)", "--exit-code", "--json")).ExitCode);
        // Without the option the exit code stays what it was: the run happened.
        Assert.Equal(ExitCodes.Success, (await AssayCli.RunAsync("run", "--lang", "python", "--code", "import sys; sys.exit(42)")).ExitCode);
    }

    [SandboxFact]
    public async Task Exit_code_option_says_how_a_program_without_an_exit_code_ended()
    {
        var signal = await AssayCli.RunAsync("run", "--lang", "python", "--code", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", "--exit-code", "--json");
        Assert.True(signal.ExitCode == ExitCodes.ProgramSignalBase + 11, signal.ToString());
        var slow = await AssayCli.RunAsync("run", "--lang", "python", "--code", "while True: pass", "--time-limit", "0.5", "--exit-code");
        Assert.True(slow.ExitCode == ExitCodes.ProgramTimeLimit, slow.ToString());
        var big = await AssayCli.RunAsync("run", "--lang", "python", "--code", "x = []\nwhile True: x.append(bytearray(8 << 20))", "--memory-limit", "64", "--exit-code");
        Assert.True(big.ExitCode == ExitCodes.ProgramMemoryLimit, big.ToString());
        Assert.Equal((123, 124, 125, 126, 128), (ExitCodes.ProgramOutputLimit, ExitCodes.ProgramTimeLimit, ExitCodes.ProgramMemoryLimit,
            ExitCodes.ProgramCompileError, ExitCodes.ProgramSignalBase));
    }

    [ToolchainFact("c")]
    public async Task Exit_code_option_gives_126_for_a_compile_error()
    {
        var run = await AssayCli.RunAsync("run", "--lang", "c", "--code", "int main( { return 0; }", "--exit-code");
        Assert.True(run.ExitCode == ExitCodes.ProgramCompileError, run.ToString());
    }
}
