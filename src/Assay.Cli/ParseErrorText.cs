using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Assay.Cli;

/// <summary>
/// A command-line parse error in the user's terms: System.CommandLine names the .NET type a value failed to convert to
/// (``Cannot parse argument 'x' for option '--time-limit' as expected type 'System.Nullable`1[System.Double]'``).
/// </summary>
internal static partial class ParseErrorText
{
    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$")]
    private static partial Regex CannotParse();

    public static string Describe(ParseError error)
    {
        if (CannotParse().Match(error.Message) is not { Success: true } match) return error.Message;
        var type = (error.SymbolResult as OptionResult)?.Option.ValueType;
        return $"{match.Groups["option"].Value}: `{match.Groups["value"].Value}` is not {Expected(type)}";
    }

    private static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "a whole number";
        if (type == typeof(bool)) return "true or false";
        if (type is { IsEnum: true }) return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()));
        return "a value this option takes (see --help)";
    }
}
