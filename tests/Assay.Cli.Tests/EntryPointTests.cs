namespace Assay.Cli.Tests;

/// <summary>
/// `assay run` finds a JVM program's entry the way its compiler and launcher need it (toolchains' `source_names`):
/// Java's file is named after the public class and the class holding `main` is run, in its package; Kotlin runs the
/// file class of a top-level `main` in its package, the `@file:JvmName`, or an object with `@JvmStatic fun main`.
/// Each used to fail: `class Foo is public, should be declared in a file named Foo.java` or `ClassNotFoundException: MainKt`.
/// </summary>
public sealed class EntryPointTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>`assay run --json` on a source file (the way a user runs Foo.java), with stdin; the parsed report.</summary>
    private async Task<System.Text.Json.JsonElement> RunFileAsync(string language, string fileName, string source, string stdin = "21\n")
    {
        var file = _dir.PathOf(fileName);
        await File.WriteAllTextAsync(file, source);
        var input = _dir.PathOf(fileName + ".in");
        await File.WriteAllTextAsync(input, stdin);
        var cli = await AssayCli.RunAsync("run", "--lang", language, "--file", file, "--stdin", input, "--json");
        Assert.True(cli.ExitCode == ExitCodes.Success, cli.ToString());
        var report = cli.Json();
        Assert.True(report.GetProperty("status").GetString() == "ok", cli.ToString());
        return report;
    }

    [ToolchainFact("java")]
    public async Task Java_public_class_Foo_runs_from_Foo_java()
    {
        var report = await RunFileAsync("java", "Foo.java", """
            public class Foo {
                public static void main(String[] args) {
                    System.out.println("foo");
                }
            }
            """);
        Assert.Equal("foo\n", report.GetProperty("stdout").GetString());
    }

    /// <summary>What models write: a public Solution with nested classes (one with a main of its own), braces and
    /// `main(` in strings and comments.</summary>
    [ToolchainFact("java")]
    public async Task Java_public_class_Solution_runs_its_own_main()
    {
        var report = await RunFileAsync("java", "answer.java", """
            import java.util.*;

            // The Solution class: reads n and prints twice n.
            public class Solution {
                static class Node { public static void main(String[] a) { System.out.println("nested"); } }
                static final String OPEN = "{ static void main(", CLOSE = "}";
                /* static void main( */
                public static void main(String[] args) {
                    Scanner in = new Scanner(System.in);
                    System.out.println(in.nextInt() * 2 + CLOSE.trim().substring(1));
                }
            }
            """);
        Assert.Equal("42\n", report.GetProperty("stdout").GetString());
    }

    [ToolchainFact("java")]
    public async Task Java_non_public_class_with_main_beside_a_public_helper_runs_the_main_class()
    {
        var report = await RunFileAsync("java", "Runner.java", """
            public class Helper {
                static int twice(int x) { return 2 * x; }
            }

            class Runner {
                public static void main(String[] args) {
                    System.out.println(Helper.twice(new java.util.Scanner(System.in).nextInt()));
                }
            }
            """);
        Assert.Equal("42\n", report.GetProperty("stdout").GetString());
    }

    [ToolchainFact("java")]
    public async Task Java_class_in_a_package_runs_by_its_qualified_name()
    {
        var report = await RunFileAsync("java", "App.java", """
            package com.example.app;

            public class App {
                public static void main(String[] args) {
                    System.out.println(App.class.getName());
                }
            }
            """);
        Assert.Equal("com.example.app.App\n", report.GetProperty("stdout").GetString());
    }

    [ToolchainFact("kotlin")]
    public async Task Kotlin_top_level_main_in_a_package_runs()
    {
        var report = await RunFileAsync("kotlin", "main.kt", """
            package contest.solution

            fun main() {
                val n = readLine()!!.trim().toInt()
                println(n * 2)
            }
            """);
        Assert.Equal("42\n", report.GetProperty("stdout").GetString());
    }

    [ToolchainFact("kotlin")]
    public async Task Kotlin_object_with_JvmStatic_main_runs()
    {
        var report = await RunFileAsync("kotlin", "Foo.kt", """
            object Foo {
                val braces = "{ }}"
                @JvmStatic
                fun main(args: Array<String>) {
                    println(readLine()!!.trim().toInt() * 2)
                }
            }
            """);
        Assert.Equal("42\n", report.GetProperty("stdout").GetString());
    }

    [ToolchainFact("kotlin")]
    public async Task Kotlin_companion_main_and_file_JvmName_run()
    {
        var companion = await RunFileAsync("kotlin", "App.kt", """
            class App {
                companion object {
                    @JvmStatic fun main(args: Array<String>) { println("companion") }
                }
            }
            """);
        Assert.Equal("companion\n", companion.GetProperty("stdout").GetString());
        var named = await RunFileAsync("kotlin", "Named.kt", """
            @file:JvmName("Solution")
            package p

            fun main(args: Array<String>) { println("named") }
            """);
        Assert.Equal("named\n", named.GetProperty("stdout").GetString());
    }
}
