using System.Text;
using System.Text.RegularExpressions;

namespace Assay.Execution.Judging;

/// <summary>
/// Builds the one source file a test-program judge compiles and runs: the candidate program, then the test
/// program, then a per-language epilogue that runs only once the tests have run to their end. The epilogue
/// reads a line (the run's nonce) from stdin and prints it after <see cref="Marker"/>; the judge passes only a
/// run that exits with status 0 and printed that line.
/// </summary>
/// <remarks>
/// Why the nonce comes on stdin: the candidate's source is fixed before the judge picks the nonce, so it cannot
/// contain it; and the nonce is not in any file of the sandbox (a candidate can read its own source and binary
/// in the working directory, so a nonce compiled into the epilogue would be readable, and would also make every
/// run a new compile). A candidate that ends the process early (`exit(0)`, `os.Exit(0)`, `process.exit(0)`,
/// `System.exit(0)`, `std::process::exit(0)`, `sys.exit()`) never reaches the epilogue, so it prints no marker
/// line and fails. What this cannot stop is a candidate written against this very protocol, one that reads
/// stdin itself, prints the marker and exits: the tests run in the candidate's own process, which can do
/// anything the epilogue can. Closing that would need the tests in a separate process (as the Python judge
/// does); for compiled test programs that call the candidate's functions directly there is none.
/// </remarks>
public static partial class TestProgramSource
{
    /// <summary>Printed (followed by the nonce) by the epilogue, on a line of its own.</summary>
    public const string Marker = "ASSAY-TESTS-COMPLETE:";

    /// <summary>Changes whenever the assembly below changes the program a candidate gets: part of every verdict's key.</summary>
    public const string Version = "program-test-7";

    /// <summary>
    /// The source to compile and run for <paramref name="program"/> (the candidate) tested by
    /// <paramref name="testProgram"/> in <paramref name="language"/> (a toolchain name).
    /// </summary>
    /// <param name="autoImports">Go only: add the standard-library imports the code uses and blank those it does
    /// not use, as HumanEval-X's harness does (its prompts import packages a completion may not need).</param>
    public static string Assemble(string language, string program, string testProgram, bool autoImports = false)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(testProgram);
        return language switch
        {
            "python" => program + "\n" + testProgram + PythonEpilogue,
            "javascript" => (program + testProgram).Contains("js-md5", StringComparison.Ordinal)
                ? JsMd5 + program + "\n" + JavaScriptAssert + testProgram + "\n" + ScriptEpilogue
                : program + "\n" + JavaScriptAssert + testProgram + "\n" + ScriptEpilogue,
            "typescript" => program + "\n" + testProgram + "\n" + ScriptEpilogue,
            "php" => program + "\n" + testProgram + PhpEpilogue(program + testProgram),
            "ruby" => program + "\n" + testProgram + RubyEpilogue(program + testProgram),
            "lua" => Lua(program, testProgram),
            "bash" => program + "\n" + testProgram + BashEpilogue,
            "cpp" or "c" => Cpp(program, testProgram),
            "java" => Java(program, testProgram),
            "csharp" => CSharp(program, testProgram),
            "go" => Go(program, testProgram, autoImports),
            "rust" => Rust(program, testProgram),
            _ => throw new NotSupportedException($"test programs in {language} are not supported"),
        };
    }

    // ---- scripts: the tests run top to bottom, so the epilogue simply comes last ----

    private const string PythonEpilogue =
        "\n\nimport sys as _assay_sys\n" +
        "_assay_sys.stdout.write('\\n" + Marker + "' + _assay_sys.stdin.readline().strip() + '\\n')\n" +
        "_assay_sys.stdout.flush()\n";

    /// <summary>Node's console.assert only prints; HumanEval-X's JavaScript tests rely on it, so it must fail the run.</summary>
    private const string JavaScriptAssert =
        "console.assert = (assayCondition, ...assayMessage) => { if (!assayCondition) throw new Error('Assertion failed' + " +
        "(assayMessage.length ? ': ' + assayMessage.join(' ') : '')); };\n";

    /// <summary>
    /// HumanEval-X's JavaScript/162 requires the npm package js-md5 (not installed, not in Debian): `require`
    /// gets Node's own MD5 under that name, with js-md5's calling convention (`md5(text)` is the hex digest).
    /// </summary>
    private const string JsMd5 =
        "{ const assayModule = require('module'); const assayLoad = assayModule._load; " +
        "const assayMd5 = (text) => require('crypto').createHash('md5').update(String(text)).digest('hex'); assayMd5.hex = assayMd5; " +
        "assayModule._load = function (request, ...rest) { return request === 'js-md5' ? assayMd5 : assayLoad.call(this, request, ...rest); }; }\n";

    private const string ScriptEpilogue =
        ";(() => { let assayNonce = ''; try { assayNonce = require('fs').readFileSync(0, 'utf8'); } catch (e) { } " +
        "process.stdout.write('\\n" + Marker + "' + assayNonce.trim() + '\\n'); })();\n";

    private static string PhpEpilogue(string source)
    {
        // Outside PHP mode (after a closing tag) the epilogue opens its own.
        var open = source.LastIndexOf("<?php", StringComparison.Ordinal);
        var close = source.LastIndexOf("?>", StringComparison.Ordinal);
        return "\n" + (close > open ? "<?php " : "") +
            "echo \"\\n" + Marker + "\" . trim((string) fgets(STDIN)) . \"\\n\";\n";
    }

    private static string RubyEpilogue(string source)
    {
        var epilogue = new StringBuilder("\n");
        if (TestUnit().IsMatch(source))
        {
            // test/unit runs the test cases in an at_exit hook, after the whole file: run them here instead, so
            // that the marker follows them.
            epilogue.Append("Test::Unit::AutoRunner.need_auto_run = false\n")
                .Append("exit(1) unless Test::Unit::AutoRunner.run\n");
        }
        epilogue.Append("$stdout.write(\"\\n" + Marker + "\" + ($stdin.gets || '').strip + \"\\n\")\n$stdout.flush\n");
        return epilogue.ToString();
    }

    [GeneratedRegex(@"require\s*\(?\s*['""]test/unit['""]")]
    private static partial Regex TestUnit();

    private static string Lua(string program, string testProgram)
    {
        // LuaUnit suites end with os.exit(lu.LuaUnit.run()): keep the status, exit only on failure.
        var tests = LuaUnitExit().Replace(testProgram, "local assay_status = $1\nif assay_status ~= 0 then os.exit(assay_status) end\n");
        return program + "\n" + tests +
            "\nio.write('\\n" + Marker + "' .. ((io.read('l') or ''):gsub('%s+$', '')) .. '\\n')\nio.stdout:flush()\n";
    }

    [GeneratedRegex(@"os\.exit\s*\(\s*(lu\.LuaUnit\.run\s*\(\s*\))\s*\)")]
    private static partial Regex LuaUnitExit();

    private const string BashEpilogue =
        "\nIFS= read -r assay_nonce || true\nprintf '\\n%s%s\\n' '" + Marker + "' \"$assay_nonce\"\n";

    // ---- C and C++: the test's main becomes a function the real main calls ----

    [GeneratedRegex(@"\bint\s+main\s*\(([^)]*)\)")]
    private static partial Regex CppMain();

    private static string Cpp(string program, string testProgram)
    {
        var main = CppMain().Match(testProgram);
        if (!main.Success) return program + "\n" + testProgram; // no main to follow: the program ends without the marker
        var open = testProgram.IndexOf('{', main.Index + main.Length);
        var close = open < 0 ? -1 : CFamily.MatchingBrace(testProgram, open);
        if (close < 0) return program + "\n" + testProgram; // unbalanced: let the compiler say so
        var hasArgs = main.Groups[1].Value.Trim() is { Length: > 0 } args && args != "void";
        // The renamed function gets an explicit `return 0;`: flowing off the end of main means 0, but off the
        // end of any other int function it is undefined behaviour, which g++ -O2 exploits.
        var tests = testProgram[..main.Index] + "int assay_tests_main(" + main.Groups[1].Value + ")" +
            testProgram[(main.Index + main.Length)..close] + "    return 0;\n" + testProgram[close..];
        return program + "\n" + tests + "\n" +
            "#include <cstdio>\n#include <cstring>\n" +
            "int main(int assay_argc, char** assay_argv) {\n" +
            "    (void)assay_argc; (void)assay_argv;\n" +
            $"    int assay_status = assay_tests_main({(hasArgs ? "assay_argc, assay_argv" : "")});\n" +
            "    if (assay_status != 0) return assay_status;\n" +
            "    char assay_nonce[256] = {0};\n" +
            "    if (!std::fgets(assay_nonce, sizeof assay_nonce, stdin)) assay_nonce[0] = 0;\n" +
            "    assay_nonce[std::strcspn(assay_nonce, \"\\r\\n \")] = 0;\n" +
            "    std::fflush(stdout);\n" +
            "    std::printf(\"\\n" + Marker + "%s\\n\", assay_nonce);\n" +
            "    std::fflush(stdout);\n" +
            "    return 0;\n" +
            "}\n";
    }

    // ---- Java: main runs the tests (renamed), then the epilogue; the class run is always Main ----

    [GeneratedRegex(@"(?:public\s+)?static\s+(?:public\s+)?void\s+main\s*\(([^)]*)\)")]
    private static partial Regex JavaMain();

    [GeneratedRegex(@"^[ \t]*(?:(?:public|final|abstract|static)\s+)*class\s+([A-Za-z_$][A-Za-z0-9_$]*)", RegexOptions.Multiline)]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"^[ \t]*import\s+org\.javatuples\.[\w.*]+\s*;[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex JavaTuplesImport();

    private static string Java(string program, string testProgram)
    {
        var main = JavaMain().Match(testProgram);
        if (!main.Success) return program + "\n" + testProgram;
        var tests = testProgram[..main.Index] +
            "public static void main(String[] assayArgs) throws Throwable {\n" +
            "        assayTestsMain(assayArgs);\n" +
            "        String assayNonce = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();\n" +
            "        System.out.flush();\n" +
            "        System.out.print(\"\\n" + Marker + "\" + (assayNonce == null ? \"\" : assayNonce.trim()) + \"\\n\");\n" +
            "        System.out.flush();\n" +
            "    }\n" +
            "    public static void assayTestsMain(" + main.Groups[1].Value + ")" +
            testProgram[(main.Index + main.Length)..];
        var source = program + "\n" + tests;
        // The toolchain runs class Main. Tests whose main lives in another class (MultiPL-E's Problem) get a
        // Main that enables `assert` statements (MultiPL-E runs java -ea) before that class loads, and calls it.
        var at = program.Length + 1 + main.Index;
        var owner = ClassDeclaration().Matches(source).Where(m => m.Index < at).Select(m => m.Groups[1].Value).LastOrDefault();
        var hasMain = ClassDeclaration().Matches(source).Any(m => m.Groups[1].Value == "Main");
        if (owner is not null && owner != "Main" && !hasMain)
        {
            source += "\nclass Main {\n    public static void main(String[] args) throws Throwable {\n" +
                "        ClassLoader.getSystemClassLoader().setDefaultAssertionStatus(true);\n" +
                $"        {owner}.main(args);\n    }}\n}}\n";
        }
        if (JavaTuplesImport().IsMatch(source))
            source = JavaTuplesImport().Replace(source, "") + JavaTuples;
        return source;
    }

    // ---- C#: as Java; `#define DEBUG` keeps Debug.Assert (MultiPL-E compiles with /d:DEBUG) ----

    [GeneratedRegex(@"(?:(?:public|private|internal|protected)\s+)?static\s+(?:async\s+)?(void|int)\s+Main\s*\(([^)]*)\)")]
    private static partial Regex CSharpMain();

    private static string CSharp(string program, string testProgram)
    {
        var main = CSharpMain().Match(testProgram);
        var tests = testProgram;
        if (main.Success)
        {
            var returnsInt = main.Groups[1].Value == "int";
            var hasArgs = main.Groups[2].Value.Trim().Length > 0;
            tests = testProgram[..main.Index] +
                "public static int Main(string[] assayArgs) {\n" +
                $"            {(returnsInt ? "int assayStatus = " : "")}AssayTestsMain({(hasArgs ? "assayArgs" : "")});\n" +
                (returnsInt ? "            if (assayStatus != 0) return assayStatus;\n" : "") +
                "            var assayNonce = global::System.Console.In.ReadLine();\n" +
                "            global::System.Console.Out.Flush();\n" +
                "            global::System.Console.Out.Write(\"\\n" + Marker + "\" + (assayNonce ?? \"\").Trim() + \"\\n\");\n" +
                "            global::System.Console.Out.Flush();\n" +
                "            return 0;\n" +
                "        }\n" +
                $"        static {main.Groups[1].Value} AssayTestsMain(" + main.Groups[2].Value + ")" +
                testProgram[(main.Index + main.Length)..];
        }
        var source = "#define DEBUG\n" + program + "\n" + tests;
        if (source.Contains("KellermanSoftware.CompareNetObjects", StringComparison.Ordinal)) source += CompareNetObjects;
        return source;
    }
}
