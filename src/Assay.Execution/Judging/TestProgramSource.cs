using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Assay.Core.Languages;

namespace Assay.Execution.Judging;

/// <summary>
/// Builds the one source file a test-program judge compiles and runs from the language's
/// <see cref="TestProgramAssembly"/> (its `test_program` section in `toolchains/NAME.yaml`): the candidate, the
/// test program, and the language's prelude and epilogue around them. The prelude reads the run's nonce from stdin
/// before any of the candidate's code runs; the epilogue, reached only once the tests have run to their end,
/// prints it after <see cref="Marker"/>. The judge passes only a run that exits with status 0 and printed that line.
/// </summary>
/// <remarks>
/// Why the nonce comes on stdin and is read first: the candidate's source is fixed before the judge picks the
/// nonce, so it cannot contain it; it is in no file of the sandbox (a nonce compiled into the epilogue would be
/// readable from the binary and make every run a new compile); and since the prelude has drained stdin before the
/// candidate runs, a candidate that reads its stdin, prints a marker line and exits finds no nonce to print. A
/// candidate that ends the process early (`exit(0)`, `os.Exit(0)`, `System.exit(0)`, ...) never reaches the
/// epilogue, so it fails. What remains possible is a candidate written against this very protocol that searches
/// its own process for the prelude's variable: the tests call the candidate's functions in one process, and only
/// separate processes would close that.
/// </remarks>
public static partial class TestProgramSource
{
    /// <summary>Printed (followed by the nonce) by the epilogue, on a line of its own.</summary>
    public const string Marker = "ASSAY-TESTS-COMPLETE:";

    /// <summary>
    /// Changes whenever this assembler changes the program a candidate gets: part of every verdict's key (the
    /// language's assembly section is hashed into the key as well, so editing the YAML needs no bump).
    /// </summary>
    public const string Version = "program-test-8";

    /// <summary>The structural transformations a `test_program.transform` may name.</summary>
    public static IReadOnlyList<string> Transforms { get; } = ["go", "rust"];

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    private static Regex Pattern(string pattern) =>
        Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.Multiline | RegexOptions.CultureInvariant));

    /// <summary>
    /// The source to compile and run for <paramref name="program"/> (the candidate) tested by
    /// <paramref name="testProgram"/>, assembled as <paramref name="assembly"/> says.
    /// </summary>
    /// <param name="autoImports">Go only: add the standard-library imports the code uses and blank those it does
    /// not use, as HumanEval-X's harness does (its prompts import packages a completion may not need).</param>
    public static string Assemble(TestProgramAssembly assembly, string program, string testProgram, bool autoImports = false)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(testProgram);
        switch (assembly.Transform)
        {
            case "go": return Go(program, testProgram, autoImports);
            case "rust": return Rust(program, testProgram);
            case null: break;
            default: throw new NotSupportedException($"unknown test-program transform `{assembly.Transform}`");
        }

        var tests = testProgram;
        foreach (var rewrite in assembly.Rewrites)
        {
            program = Pattern(rewrite.Pattern).Replace(program, Fill(rewrite.Replacement));
            tests = Pattern(rewrite.Pattern).Replace(tests, Fill(rewrite.Replacement));
        }

        var before = new StringBuilder();
        var after = new StringBuilder();
        var mentioned = program + "\n" + tests;
        foreach (var shim in assembly.Shims.Where(s => Pattern(s.When).IsMatch(mentioned)))
        {
            before.Append(Fill(shim.Prepend));
            after.Append(Fill(shim.Append));
            if (shim.Remove is { } remove)
            {
                program = Pattern(remove).Replace(program, "");
                tests = Pattern(remove).Replace(tests, "");
            }
        }

        var entry = "";
        foreach (var rename in assembly.Entry)
        {
            if (TryRenameEntry(rename, ref program, ref tests, out entry)) break;
        }
        return before + Fill(assembly.Prelude) + program + "\n" + Fill(assembly.Between) + tests + "\n" + after + entry + Fill(assembly.Epilogue);
    }

    private static string Fill(string text) => text.Replace("{marker}", Marker, StringComparison.Ordinal);

    /// <summary>Renames the entry in the tests (else in the candidate's part, where MBXP's Scala declares it); the new entry point comes back.</summary>
    private static bool TryRenameEntry(EntryRename rename, ref string program, ref string tests, out string entry)
    {
        entry = "";
        var pattern = Pattern(rename.Pattern);
        var inTests = pattern.Match(tests);
        var match = inTests.Success ? inTests : pattern.Match(program);
        if (!match.Success) return false;
        var text = inTests.Success ? tests : program;
        var renamed = text[..match.Index] + match.Result(Fill(rename.Replacement));
        var rest = text[(match.Index + match.Length)..];
        if (rename.BodyEnd.Length > 0)
        {
            var open = rest.IndexOf('{', StringComparison.Ordinal);
            var close = open < 0 ? -1 : CFamily.MatchingBrace(rest, open);
            if (close < 0) return false; // unbalanced: leave it to the compiler to say so
            rest = rest[..close] + Fill(rename.BodyEnd) + rest[close..];
        }
        if (inTests.Success) tests = renamed + rest;
        else program = renamed + rest;

        var source = program + "\n" + tests;
        if (rename.After.Length == 0 || (rename.AfterUnless is { } unless && Pattern(unless).IsMatch(source))) return true;
        var wrapper = Fill(rename.After);
        if (wrapper.Contains("{owner}", StringComparison.Ordinal))
        {
            var at = (inTests.Success ? program.Length + 1 : 0) + match.Index;
            var owner = OwnerDeclaration().Matches(source).Where(m => m.Index < at).Select(m => m.Groups[1].Value).LastOrDefault();
            if (owner is null) return true; // nothing to call: the run ends without the marker
            wrapper = wrapper.Replace("{owner}", owner, StringComparison.Ordinal);
        }
        entry = wrapper;
        return true;
    }

    /// <summary>A class or object declared at the start of a line (not `Main.class` in an expression or a comment's prose).</summary>
    [GeneratedRegex(@"^[ \t]*(?:(?:public|private|protected|internal|final|abstract|static|sealed|case)\s+)*(?:class|object)\s+([A-Za-z_$][A-Za-z0-9_$]*)", RegexOptions.Multiline)]
    private static partial Regex OwnerDeclaration();
}
