using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class ClojureToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "clojure")
{
    [ToolchainFact("clojure")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("(println \"hello\")\n", "hello\n");

    [ToolchainFact("clojure")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        (require '[clojure.string :as str])
        (let [[first-line & other-lines] (line-seq (java.io.BufferedReader. *in*))]
          (println (apply + (map #(Long/parseLong %) (str/split first-line #" "))))
          (doseq [line other-lines] (println (str/upper-case line))))
        """);

    [ToolchainFact("clojure")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        (println "before")
        (println (/ 1 (count *command-line-args*)))
        """, "before\n", exitCode: 1, signal: null, "Divide by zero");

    // clojure.main reads and evaluates one form at a time: the form before the unfinished one runs.
    [ToolchainFact("clojure")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("""
        (println "before")
        (defn broken [x]
        """, exitCode: 1, "Syntax error reading source", "before\n");
}
