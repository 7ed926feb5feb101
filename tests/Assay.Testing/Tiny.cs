namespace Assay.Testing;

/// <summary>
/// Small human-eval problems written for these tests: `add(a, b)` and `mul(a, b)`, each with a reference
/// solution and a `check(candidate)` whose asserts say what they expected. `add`'s check uses `abs`, so a
/// candidate that rebinds `builtins.abs` would change what the check computes.
/// </summary>
public static class Tiny
{
    public const string AddId = "Tiny/0";
    public const string MulId = "Tiny/1";
    public const string AddPrompt = "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n";
    public const string MulPrompt = "def mul(a, b):\n    \"\"\"Return a * b.\"\"\"\n";

    public const string AddCheck =
        "def check(candidate):\n" +
        "    assert candidate(2, 3) == 5, 'add(2, 3) should be 5'\n" +
        "    assert abs(candidate(2.5, 0.25) - 2.75) < 1e-9, 'add(2.5, 0.25) should be 2.75'\n" +
        "    assert candidate(-1, 1) == 0, 'add(-1, 1) should be 0'\n";

    public const string MulCheck =
        "def check(candidate):\n" +
        "    assert candidate(2, 3) == 6, 'mul(2, 3) should be 6'\n" +
        "    assert candidate(0, 7) == 0, 'mul(0, 7) should be 0'\n";

    public static object AddProblem => new
    {
        task_id = AddId,
        prompt = AddPrompt,
        entry_point = "add",
        canonical_solution = "    return a + b\n",
        test = AddCheck,
    };

    public static object MulProblem => new
    {
        task_id = MulId,
        prompt = MulPrompt,
        entry_point = "mul",
        canonical_solution = "    return a * b\n",
        test = MulCheck,
    };

    /// <summary>Writes both problems to problems.jsonl in <paramref name="dir"/>.</summary>
    public static string WriteProblems(TempDir dir) => dir.WriteJsonl("problems.jsonl", [AddProblem, MulProblem]);

    public static object Completion(string taskId, string completion) => new { task_id = taskId, completion };
}
