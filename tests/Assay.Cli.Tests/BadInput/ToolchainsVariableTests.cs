namespace Assay.Cli.Tests.BadInput;

/// <summary>
/// `$ASSAY_TOOLCHAINS` is read by every verb: a broken file there is one line naming file and line with exit 2 (it was
/// a YamlDotNet trace), and an entry that does not exist is an error (it was silently ignored, judging with the
/// shipped toolchains instead). A process each: the variable is process-wide.
/// </summary>
public sealed class ToolchainsVariableTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<CliResult> ToolchainsWith(string variable) =>
        AssayProcess.RunAsync(["toolchains"], new Dictionary<string, string> { ["ASSAY_TOOLCHAINS"] = variable });

    [Fact]
    public async Task A_broken_file_is_one_line_with_its_path_and_line_and_exit_2()
    {
        var folder = _dir.PathOf("mine");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "lua2.yaml");
        File.WriteAllText(file, "name: lua2\nsource_file: main.lua\nrun: [lua, main.lua]\nbogus_field: 3\n");

        var (exit, _, stderr) = await ToolchainsWith(folder);

        Assert.True(exit == 2, stderr);
        Assert.Equal($"assay: {file}:4: unknown field `bogus_field` (the README's Languages section lists the fields)", stderr.Trim());
    }

    [Fact]
    public async Task An_entry_that_does_not_exist_is_an_error_not_ignored()
    {
        var missing = _dir.PathOf("no-such-folder");

        var (exit, stdout, stderr) = await ToolchainsWith(missing);

        Assert.True(exit == 2, stderr);
        Assert.Contains($"`{missing}` is neither a folder nor a .yaml file", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task One_yaml_file_can_be_named_directly()
    {
        var file = _dir.PathOf("lua2.yaml");
        File.WriteAllText(file, "name: lua2\nsource_file: main.lua\ntools:\n  lua:\n    candidates: [lua5.4, lua]\nrun: [\"{lua}\", main.lua]\n");

        var (exit, stdout, stderr) = await ToolchainsWith(file);

        Assert.True(exit == 0, stderr);
        Assert.Contains("lua2", stdout + stderr);
    }
}
