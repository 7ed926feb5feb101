using Assay.Execution.Toolchains;

namespace Assay.Execution.Tests.Toolchains;

/// <summary>
/// Languages Assay knows but cannot run with a Debian-packaged toolchain (Julia, Swift) are files marked
/// `unavailable`: they resolve to "not supported" with the reason, whatever is installed, and need nothing else.
/// </summary>
public sealed class UnsupportedToolchainTests
{
    private static readonly ToolchainCatalog Shipped = ToolchainCatalog.LoadDefault();

    [Theory]
    [InlineData("julia", "jl", "no julia package")]
    [InlineData("swift", "swift", "OpenStack")]
    public void Shipped_julia_and_swift_are_refused_with_the_reason(string name, string alias, string reason)
    {
        var definition = Shipped.Find(alias);
        Assert.NotNull(definition);
        Assert.Equal(name, definition.Name);

        var resolution = Shipped.Resolve(definition, sandboxUidMustReach: false);

        Assert.False(resolution.IsAvailable);
        Assert.Null(resolution.Toolchain);
        Assert.Contains("is not supported", resolution.Problem, StringComparison.Ordinal);
        Assert.Contains(reason, resolution.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unavailable_file_needs_no_source_file_run_or_tools()
    {
        var definition = ToolchainCatalog.Parse("name: cobol\naliases: [cob]\nunavailable: \"no compiler here\"\n", "cobol.yaml");

        Assert.Equal("cobol", definition.DisplayName);
        var resolution = new ToolchainCatalog([definition]).Resolve(definition, sandboxUidMustReach: false);
        Assert.Equal("cobol is not supported: no compiler here", resolution.Problem);
    }

    [Fact]
    public void An_unavailable_file_whose_tools_exist_is_still_refused()
    {
        // /bin/sh exists everywhere: the reason wins over what the host has, so the verdict cannot depend on it.
        var definition = ToolchainCatalog.Parse(
            "name: shell\nsource_file: main.sh\ntools:\n  sh:\n    candidates: [/bin/sh]\nrun: [\"{sh}\", \"main.sh\"]\nunavailable: \"switched off\"\n",
            "shell.yaml");

        var resolution = new ToolchainCatalog([definition]).Resolve(definition, sandboxUidMustReach: false);

        Assert.False(resolution.IsAvailable);
        Assert.Equal("shell is not supported: switched off", resolution.Problem);
    }

    [Fact]
    public void An_empty_reason_is_an_error_naming_the_file()
    {
        var error = Assert.Throws<InvalidDataException>(() => ToolchainCatalog.Parse("name: cobol\nunavailable: \"\"\n", "cobol.yaml"));
        Assert.Contains("cobol.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("unavailable", error.Message, StringComparison.Ordinal);
    }
}
