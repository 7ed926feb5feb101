namespace Assay.Execution.Toolchains;

/// <summary>YamlDotNet's errors about a toolchain file, reworded in the file's terms (fields and YAML shapes, not .NET types).</summary>
internal static partial class YamlProblems
{
    /// <summary>
    /// What is wrong, in the file's terms: YamlDotNet's wrapper says only "Exception during deserialization" (the cause
    /// is inside) and names .NET types for an unknown field.
    /// </summary>
    public static string Describe(YamlDotNet.Core.YamlException ex)
    {
        var cause = ex.InnerException is { } inner && ex.Message.StartsWith("Exception during deserialization", StringComparison.Ordinal) ? inner : ex;
        var message = cause is YamlDotNet.Core.YamlException yaml ? StripPosition(yaml.Message) : cause.Message;
        if (UnknownField().Match(message) is { Success: true } unknown)
            return $"unknown field `{unknown.Groups[1].Value}` (the README's Languages section lists the fields)";
        if (NoDeserializer().Match(message) is { Success: true } shape)
            return $"expected {Shape(shape.Groups[1].Value)} here";
        if (InvalidCast().Match(message) is { Success: true } cast)
            return $"expected {Shape(cast.Groups[2].Value)} here, not {Shape(cast.Groups[1].Value)}";
        return message;
    }

    /// <summary>A .NET type as the YAML a user writes: `[a, b]` is a list, `a` is text.</summary>
    private static string Shape(string dotnetType) => dotnetType switch
    {
        _ when dotnetType.Contains("List", StringComparison.Ordinal) => "a list (`[a, b]` or `- a` lines)",
        _ when dotnetType.Contains("Dictionary", StringComparison.Ordinal) => "a mapping (`key: value` lines)",
        "System.String" => "a single value",
        "System.Double" or "System.Int32" or "System.Int64" => "a number",
        "System.Boolean" => "true or false",
        _ => "a value of another shape",
    };

    /// <summary>`(Line: 3, Col: 5, Idx: 40) - (Line: 3, Col: 9, Idx: 44): message` → `message` (the line is given separately).</summary>
    private static string StripPosition(string message) => YamlPosition().Replace(message, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial System.Text.RegularExpressions.Regex YamlPosition();

    [System.Text.RegularExpressions.GeneratedRegex(@"deserialize the node into type ([^,]+),")]
    private static partial System.Text.RegularExpressions.Regex NoDeserializer();

    [System.Text.RegularExpressions.GeneratedRegex(@"Invalid cast from '([^']+)' to '([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex InvalidCast();

    [System.Text.RegularExpressions.GeneratedRegex(@"^Property '([^']+)' not found on type")]
    private static partial System.Text.RegularExpressions.Regex UnknownField();
}
