using Assay.Execution.Toolchains;

namespace Assay.Execution.Tests.Toolchains;

/// <summary>
/// `source_names`: names read from a program's source fill `{name}` in `source_file`, `compile` and `run`. The generic
/// rules on a made-up language, then the shipped Java and Kotlin files on the sources they must tell apart (no
/// compiler needed: the layout is what the compiler and launcher are given).
/// </summary>
public sealed class SourceNamesTests
{
    private const string Yaml = """
        name: named
        source_names:
          - name: unit
            find:
              - pattern: '^unit\s+(\S+)'
            default: Main
          - name: entry
            find:
              - pattern: '^entry\s+(\S+)'
                value: 'run_$1'
            default: '{unit}_main'
        source_file: '{unit}.src'
        compile: ["cc", "{source}"]
        run: ["vm", "{entry}"]
        """;

    private static Toolchain Resolve(string yaml)
    {
        var definition = ToolchainCatalog.Parse(yaml, "test.yaml");
        return new ToolchainCatalog([definition]).Resolve(definition, sandboxUidMustReach: false).Toolchain!;
    }

    [Fact]
    public void Names_fill_the_file_and_the_commands_and_fall_back_to_their_defaults()
    {
        var toolchain = Resolve(Yaml);
        var named = toolchain.LayoutFor("unit Foo\nentry go\n");
        Assert.Equal(("Foo.src", "cc Foo.src", "vm run_go"), (named.SourceFile, string.Join(' ', named.CompileCommand!), string.Join(' ', named.RunCommand)));
        var unnamed = toolchain.LayoutFor("nothing here\n");
        Assert.Equal(("Main.src", "vm Main_main"), (unnamed.SourceFile, string.Join(' ', unnamed.RunCommand)));
    }

    /// <summary>A value becomes a file name and an argument: a path or an option read from the source is no match.</summary>
    [Theory]
    [InlineData("unit ../../etc/passwd\nentry -Xdebug\n")]
    [InlineData("unit a/b\nentry $(rm)\n")]
    public void A_value_that_is_not_a_plain_name_counts_as_no_match(string source)
    {
        var layout = Resolve(Yaml).LayoutFor(source);
        Assert.Equal(("Main.src", "vm Main_main"), (layout.SourceFile, string.Join(' ', layout.RunCommand)));
    }

    [Fact]
    public void The_rules_are_part_of_the_fingerprint()
    {
        var a = Resolve(Yaml);
        var b = Resolve(Yaml.Replace("value: 'run_$1'", "value: 'go_$1'", StringComparison.Ordinal));
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
    }

    [Theory]
    [InlineData("source_file: '{unit}.src'", "source_file: '{nope}.src'", "`source_file` uses `{nope}`")]
    [InlineData("run: [\"vm\", \"{entry}\"]", "run: [\"vm\", \"{later}\"]", "`{later}` names no tool")]
    [InlineData("default: '{unit}_main'", "default: '{entry}_main'", "not an earlier name")]
    [InlineData("'^entry\\s+(\\S+)'", "'^entry\\s+(\\S+'", "not a valid regular expression")]
    [InlineData("- name: entry", "- name: unit", "already a tool, `source` or an earlier name")]
    public void A_malformed_rule_is_refused_at_load(string from, string to, string message)
    {
        var ex = Assert.Throws<InvalidDataException>(() => ToolchainCatalog.Parse(Yaml.Replace(from, to, StringComparison.Ordinal), "bad.yaml"));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    private static ProgramLayout Shipped(string language, string source)
    {
        var definition = ToolchainCatalog.LoadDefault().Find(language)!;
        var toolchain = new Toolchain
        {
            Definition = definition,
            Version = "test",
            CompileCommand = definition.Compile?.Select(a => a.Replace("{source}", definition.SourceFile, StringComparison.Ordinal)).ToList(),
            RunCommand = definition.Run,
            Mounts = [],
            Fingerprint = "test",
        };
        return toolchain.LayoutFor(source);
    }

    /// <summary>
    /// Java: (file, class run). The test programs' layout is kept — MultiPL-E's class Problem with its own main plus the
    /// judge's class Main, HumanEval-X's public class Main after the candidate's class Solution — so their verdicts
    /// cannot move; what models write gets its own file and class.
    /// </summary>
    [Theory]
    [InlineData("class Problem {\n    public static void main(String[] args) {}\n}\n\nclass Main {\n    public static void main(String[] args) throws Throwable {}\n}\n", "Main.java", "Main")]
    [InlineData("class Solution {\n    int f() { return 1; }\n}\npublic class Main {\n    public static void main(String[] args) {}\n}\n", "Main.java", "Main")]
    [InlineData("public class Solution {\n    public static void main(String[] args) {}\n}\n", "Solution.java", "Solution")]
    [InlineData("public class Helper {}\nclass Runner {\n    static public void main(String... a) {}\n}\n", "Helper.java", "Runner")]
    [InlineData("public class Solution {\n    static class Node { public static void main(String[] a) {} }\n    public static void main(String[] a) {}\n}\n", "Solution.java", "Solution")]
    [InlineData("public class Solution {\n    String s = \"}\"; char c = '}'; // }\n    public static void main(String[] a) {}\n}\n", "Solution.java", "Solution")]
    [InlineData("package a.b;\n\npublic final class App {\n    public static void main(String[] a) {}\n}\n", "App.java", "a.b.App")]
    [InlineData("// the Solution class\nclass Solution {\n    public static void main(String[] a) {}\n}\n", "Main.java", "Solution")]
    [InlineData("public class NoMain {}\n", "NoMain.java", "NoMain")]
    [InlineData("int x;\n", "Main.java", "Main")]
    public void Java_names_the_file_after_the_public_class_and_runs_the_class_with_main(string source, string file, string entry)
    {
        var layout = Shipped("java", source);
        Assert.Equal((file, entry), (layout.SourceFile, layout.RunCommand[^1]));
        Assert.Equal(file, layout.CompileCommand![^1]);
    }

    [Theory]
    [InlineData("fun assayTestsMain() {}\n\nfun main() {\n    assayTestsMain()\n}\n", "MainKt")]
    [InlineData("package x.y\n\nfun main(args: Array<String>) {}\n", "x.y.MainKt")]
    [InlineData("object Foo {\n    @JvmStatic\n    fun main(args: Array<String>) {}\n}\n", "Foo")]
    [InlineData("class App {\n    companion object {\n        @JvmStatic fun main(args: Array<String>) {}\n    }\n}\n", "App")]
    [InlineData("@file:JvmName(\"Solution\")\npackage p\n\nfun main() {}\n", "p.Solution")]
    [InlineData("fun helper() = 1\n", "MainKt")]
    public void Kotlin_runs_the_class_that_holds_main(string source, string entry)
    {
        var layout = Shipped("kotlin", source);
        Assert.Equal(("Main.kt", entry), (layout.SourceFile, layout.RunCommand[^1]));
    }
}
