using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class HaskellToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "haskell")
{
    private static string Printing(string text) =>
        "main :: IO ()\nmain = putStrLn \"" + text + "\"\n";

    [ToolchainFact("haskell")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("haskell")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        import Data.Char (toUpper)

        main :: IO ()
        main = do
          contents <- getContents
          let (first : rest) = lines contents
          print (sum (map read (words first)) :: Int)
          mapM_ (putStrLn . map toUpper) rest
        """);

    [ToolchainFact("haskell")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        import System.Environment (getArgs)
        import System.IO

        main :: IO ()
        main = do
          putStrLn "before"
          hFlush stdout
          args <- getArgs
          print (1 `div` length args)
        """, "before\n", exitCode: 1, signal: null, "divide by zero");

    [ToolchainFact("haskell")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        main :: IO ()
        main = putStrLn (1 + "not a number")
        """, "No instance for (Num String)");

    [ToolchainFact("haskell")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
