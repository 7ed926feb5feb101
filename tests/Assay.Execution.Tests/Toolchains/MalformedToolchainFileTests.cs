using Assay.Execution.Toolchains;

namespace Assay.Execution.Tests.Toolchains;

/// <summary>
/// A malformed toolchain file is one error naming the file and the line, in YAML's terms: it used to be
/// YamlDotNet's "Exception during deserialization", a .NET type name, or an InvalidOperationException trace.
/// </summary>
public sealed class MalformedToolchainFileTests
{
    private static string ErrorFor(string yaml) => Assert.Throws<InvalidDataException>(() => ToolchainCatalog.Parse(yaml, "lua2.yaml")).Message;

    [Theory]
    [InlineData("name: lua2\nsource_file: main.lua\nrun: lua main.lua\n", "lua2.yaml:3: expected a list")]
    [InlineData("name: lua2\nsource_file: main.lua\nrun: [lua, main.lua]\nbogus_field: 3\n", "lua2.yaml:4: unknown field `bogus_field`")]
    [InlineData("name: lua2\nsource_file: main.lua\nrun: [lua, main.lua]\ntime_multiplier: fast\n", "lua2.yaml:4: ")]
    [InlineData("name: lua2\nsource_file: [main.lua]\nrun: [lua]\n", "lua2.yaml:2: expected a single value")]
    [InlineData("name: lua2\n  source_file: main.lua\n  bad: [\n", "lua2.yaml:2: ")]
    [InlineData("name: lua2\nsource_file: main.lua\nrun: [lua, main.lua\ntools:\n  x: 1\n", "lua2.yaml: not valid YAML")]
    public void The_error_names_the_file_and_line_without_dotnet_types(string yaml, string expected)
    {
        var message = ErrorFor(yaml);

        Assert.StartsWith(expected, message);
        Assert.DoesNotContain("System.", message);
        Assert.DoesNotContain("Assay.Execution", message);
        Assert.DoesNotContain("Exception during deserialization", message);
        Assert.DoesNotContain("current state of the object", message);
    }
}
