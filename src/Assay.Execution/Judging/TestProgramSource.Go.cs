using System.Text;
using System.Text.RegularExpressions;

namespace Assay.Execution.Judging;

public static partial class TestProgramSource
{
    [GeneratedRegex(@"^\s*package\s+\w+", RegexOptions.Multiline)]
    private static partial Regex GoPackage();

    [GeneratedRegex(@"\bfunc\s+main\s*\(\s*\)")]
    private static partial Regex GoMain();

    [GeneratedRegex(@"\bfunc\s+(Test\w*)\s*\(\s*\w+\s+\*testing\.T\s*\)")]
    private static partial Regex GoTestFunction();

    /// <summary>An import declaration: `import "p"`, `import x "p"` or a parenthesised list.</summary>
    [GeneratedRegex(@"^[ \t]*import\s*(?:\((?<specs>[^)]*)\)|(?<specs>(?:[\w.]+\s+)?""[^""]*""))", RegexOptions.Multiline)]
    private static partial Regex GoImportDeclaration();

    [GeneratedRegex(@"^[ \t]*(?:(?<alias>[\w.]+)\s+)?""(?<path>[^""]+)""[ \t]*;?[ \t]*(?://[^\n]*)?$", RegexOptions.Multiline)]
    private static partial Regex GoImportSpec();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|""(?:[^""\\\n]|\\.)*""|`[^`]*`", RegexOptions.Singleline)]
    private static partial Regex GoCommentOrString();

    private const string Testify = "github.com/stretchr/testify/assert";

    /// <summary>Standard packages HumanEval-X's harness adds when a completion uses them without importing them.</summary>
    private static readonly string[] GoHelperPackages = ["math", "strings", "fmt", "strconv", "time", "bytes", "regexp", "sort", "math/rand", "crypto/md5"];

    /// <summary>
    /// Go programs end up as one `package main` built with `go build`. Test programs made of `func TestX(t
    /// *testing.T)` (HumanEval-X, MultiPL-E, which run `go test`) get a main that runs them through
    /// testing.Main, followed by the epilogue as a last test; programs with their own main (MBXP) get that main
    /// renamed and called. HumanEval-X's tests use testify's assert, which is not installed: a stand-in
    /// implementing the part they use replaces it.
    /// </summary>
    private static string Go(string program, string testProgram, bool autoImports)
    {
        var testFunctions = GoTestFunction().Matches(testProgram).Select(m => m.Groups[1].Value).ToList();
        var ownMain = GoMain().Match(testProgram);
        var tail = new StringBuilder();
        string tests;
        if (ownMain.Success)
        {
            tests = testProgram[..ownMain.Index] + "func assayTestsMain()" + testProgram[(ownMain.Index + ownMain.Length)..];
            tail.Append("\nfunc main() {\n\tassayTestsMain()\n\tassayEpilogue()\n}\n");
        }
        else
        {
            tests = testProgram;
            tail.Append("\nfunc main() {\n\tassayTests := []testing.InternalTest{\n");
            foreach (var name in testFunctions) tail.Append("\t\t{Name: \"").Append(name).Append("\", F: ").Append(name).Append("},\n");
            // The epilogue is the last test: testing.Main runs the tests in order and exits non-zero if any failed.
            tail.Append("\t\t{Name: \"AssayEpilogue\", F: func(*testing.T) { assayEpilogue() }},\n\t}\n")
                .Append("\ttesting.Main(func(string, string) (bool, error) { return true, nil }, assayTests, nil, nil)\n}\n");
        }
        tail.Append(GoEpilogue);

        var source = program + "\n" + tests;
        var extraImports = new List<string> { "assay_os \"os\"", "assay_io \"io\"" };
        if (HasImport(source, Testify))
        {
            source = RemoveImport(source, Testify);
            tail.Append(GoTestifyAssert);
            extraImports.AddRange(["assay_reflect \"reflect\"", "assay_fmt \"fmt\""]);
        }
        if (!ownMain.Success) source = GoPackage().Replace(source, "package main", 1);
        if (autoImports) source = FixImports(source);
        // Imports must precede every other declaration: the epilogue's go right after the package clause.
        var package = GoPackage().Match(source);
        var importLine = "\nimport (\n\t" + string.Join("\n\t", extraImports) + "\n)\n";
        source = package.Success
            ? source[..(package.Index + package.Length)] + importLine + source[(package.Index + package.Length)..]
            : "package main\n" + importLine + source;
        return source + tail;
    }

    private static bool HasImport(string source, string path) =>
        GoImportDeclaration().Matches(source).Any(d => GoImportSpec().Matches(d.Groups["specs"].Value).Any(s => s.Groups["path"].Value == path));

    private static string RemoveImport(string source, string path) =>
        GoImportDeclaration().Replace(source, d =>
        {
            var specs = GoImportSpec().Matches(d.Groups["specs"].Value).Where(s => s.Groups["path"].Value != path).Select(s => s.Value.Trim()).ToList();
            return specs.Count == 0 ? "" : "import (\n\t" + string.Join("\n\t", specs) + "\n)";
        });

    /// <summary>goimports-like: unused imports become blank imports (`_ "math"`), used helper packages are added.</summary>
    private static string FixImports(string source)
    {
        // Whether a package is used is judged on the code alone: not its imports, comments or string literals.
        var code = GoCommentOrString().Replace(GoImportDeclaration().Replace(source, ""), " ");
        var imported = new HashSet<string>(StringComparer.Ordinal);
        var fixedSource = GoImportDeclaration().Replace(source, d =>
        {
            var specs = new List<string>();
            foreach (Match spec in GoImportSpec().Matches(d.Groups["specs"].Value))
            {
                var path = spec.Groups["path"].Value;
                var alias = spec.Groups["alias"].Success ? spec.Groups["alias"].Value : null;
                // The same package imported twice (HumanEval-X's test setup and its prompt both import "math").
                if (alias is null && !imported.Add(path)) continue;
                var name = alias ?? path[(path.LastIndexOf('/') + 1)..];
                var used = alias is "_" or "." || Regex.IsMatch(code, @"\b" + Regex.Escape(name) + @"\.");
                specs.Add(used ? spec.Value.Trim() : "_ \"" + path + "\"");
            }
            return specs.Count == 0 ? "" : "import (\n\t" + string.Join("\n\t", specs) + "\n)";
        });
        var missing = GoHelperPackages
            .Where(p => !imported.Contains(p) && Regex.IsMatch(code, @"(?<![\w.])" + Regex.Escape(p[(p.LastIndexOf('/') + 1)..]) + @"\."))
            .ToList();
        if (missing.Count == 0) return fixedSource;
        var package = GoPackage().Match(fixedSource);
        var line = "\nimport (\n\t" + string.Join("\n\t", missing.Select(p => "\"" + p + "\"")) + "\n)\n";
        return package.Success
            ? fixedSource[..(package.Index + package.Length)] + line + fixedSource[(package.Index + package.Length)..]
            : fixedSource;
    }

    // The nonce is read by a package-level variable: Go initialises all of them before any init() or main runs, so
    // the candidate's functions run only after stdin is drained.
    private const string GoEpilogue =
        "\nvar assayNonce = assayReadNonce()\n" +
        "\nfunc assayReadNonce() string {\n" +
        "\tassayInput, _ := assay_io.ReadAll(assay_os.Stdin)\n" +
        "\tnonce := string(assayInput)\n" +
        "\tfor len(nonce) > 0 && (nonce[len(nonce)-1] == '\\n' || nonce[len(nonce)-1] == '\\r' || nonce[len(nonce)-1] == ' ') {\n" +
        "\t\tnonce = nonce[:len(nonce)-1]\n" +
        "\t}\n" +
        "\treturn nonce\n" +
        "}\n" +
        "\nfunc assayEpilogue() {\n" +
        "\tassay_os.Stdout.WriteString(\"\\n" + Marker + "\" + assayNonce + \"\\n\")\n" +
        "}\n";

    /// <summary>
    /// The part of testify's assert package HumanEval-X's tests use (`assert.New(t)`, then Equal, True, False,
    /// ...), with testify's meaning: Equal is reflect.DeepEqual of the two values (so 1 and int64(1) differ),
    /// with []byte compared by content. A package-level value named `assert` stands in for the package.
    /// </summary>
    private const string GoTestifyAssert =
        """

        type assayAssertPackage struct{}

        var assert assayAssertPackage

        type assayAssertions struct{ t *testing.T }

        func (assayAssertPackage) New(t *testing.T) *assayAssertions { return &assayAssertions{t} }

        func assayObjectsAreEqual(expected, actual interface{}) bool {
        	if expected == nil || actual == nil {
        		return expected == actual
        	}
        	if e, ok := expected.([]byte); ok {
        		a, ok := actual.([]byte)
        		return ok && string(e) == string(a)
        	}
        	return assay_reflect.DeepEqual(expected, actual)
        }

        func (a *assayAssertions) fail(message string, msgAndArgs ...interface{}) bool {
        	a.t.Helper()
        	if len(msgAndArgs) > 0 {
        		message += ": " + assay_fmt.Sprint(msgAndArgs...)
        	}
        	a.t.Errorf("%s", message)
        	return false
        }

        func (a *assayAssertions) Equal(expected, actual interface{}, msgAndArgs ...interface{}) bool {
        	a.t.Helper()
        	if !assayObjectsAreEqual(expected, actual) {
        		return a.fail(assay_fmt.Sprintf("Not equal: expected %#v (%T), actual %#v (%T)", expected, expected, actual, actual), msgAndArgs...)
        	}
        	return true
        }

        func (a *assayAssertions) NotEqual(expected, actual interface{}, msgAndArgs ...interface{}) bool {
        	a.t.Helper()
        	if assayObjectsAreEqual(expected, actual) {
        		return a.fail(assay_fmt.Sprintf("Should not be: %#v", actual), msgAndArgs...)
        	}
        	return true
        }

        func (a *assayAssertions) True(value bool, msgAndArgs ...interface{}) bool {
        	a.t.Helper()
        	if !value {
        		return a.fail("Should be true", msgAndArgs...)
        	}
        	return true
        }

        func (a *assayAssertions) False(value bool, msgAndArgs ...interface{}) bool {
        	a.t.Helper()
        	if value {
        		return a.fail("Should be false", msgAndArgs...)
        	}
        	return true
        }

        func (a *assayAssertions) InDelta(expected, actual interface{}, delta float64, msgAndArgs ...interface{}) bool {
        	a.t.Helper()
        	e, ok1 := assayToFloat(expected)
        	g, ok2 := assayToFloat(actual)
        	if !ok1 || !ok2 {
        		return a.fail("Parameters must be numerical", msgAndArgs...)
        	}
        	if d := e - g; d > delta || d < -delta || d != d {
        		return a.fail(assay_fmt.Sprintf("Max difference between %v and %v allowed is %v", expected, actual, delta), msgAndArgs...)
        	}
        	return true
        }

        func assayToFloat(x interface{}) (float64, bool) {
        	v := assay_reflect.ValueOf(x)
        	switch v.Kind() {
        	case assay_reflect.Int, assay_reflect.Int8, assay_reflect.Int16, assay_reflect.Int32, assay_reflect.Int64:
        		return float64(v.Int()), true
        	case assay_reflect.Uint, assay_reflect.Uint8, assay_reflect.Uint16, assay_reflect.Uint32, assay_reflect.Uint64:
        		return float64(v.Uint()), true
        	case assay_reflect.Float32, assay_reflect.Float64:
        		return v.Float(), true
        	}
        	return 0, false
        }

        func (a *assayAssertions) Nil(object interface{}, msgAndArgs ...interface{}) bool {
        	a.t.Helper()
        	if object != nil && !(assay_reflect.ValueOf(object).Kind() >= assay_reflect.Chan && assay_reflect.ValueOf(object).Kind() <= assay_reflect.Slice && assay_reflect.ValueOf(object).IsNil()) {
        		return a.fail(assay_fmt.Sprintf("Expected nil, but got: %#v", object), msgAndArgs...)
        	}
        	return true
        }

        func (a *assayAssertions) Len(object interface{}, length int, msgAndArgs ...interface{}) bool {
        	a.t.Helper()
        	if n := assay_reflect.ValueOf(object).Len(); n != length {
        		return a.fail(assay_fmt.Sprintf("Should have %d item(s), but has %d", length, n), msgAndArgs...)
        	}
        	return true
        }

        """;
}
