using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Assay.Server.Admission;

namespace Assay.Server.Endpoints;

/// <summary>How every endpoint reads its JSON body and writes its answers and errors.</summary>
internal static class Wire
{
    /// <summary>snake_case both ways; nulls are written (a null score means "no reward", and says so).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
    };

    /// <summary>The response header that says what was repaired in a request's body before it was read.</summary>
    public const string RepairedHeader = "Assay-Repaired";

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body as <typeparamref name="T"/>; a missing, oversized or malformed body throws with a message saying what is wrong.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request)
    {
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            throw new InvalidRequestException($"the body must be JSON (Content-Type: application/json), not {type}", 415);
        // Kestrel enforces the limit while reading; this answers early, and under hosts that do not enforce it.
        var limit = request.HttpContext.RequestServices.GetRequiredService<ServeOptions>().MaxRequestBytes;
        if (request.ContentLength > limit) throw new InvalidRequestException("the body is larger than this server accepts (--max-request-mb)", 413);
        try
        {
            // Read as text first: Python's json.dumps writes broken model output's lone surrogates as `\ud800`, which
            // no .NET string holds; each becomes U+FFFD (as the command line does), said in a header, and the items
            // are judged, instead of the whole batch refused over one character.
            string text;
            using (var reader = new StreamReader(request.Body, StrictUtf8, detectEncodingFromByteOrderMarks: false))
                text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            text = Assay.Datasets.Jsonl.LoneSurrogates.Repair(text, out var repaired);
            if (repaired > 0)
                request.HttpContext.Response.Headers[RepairedHeader] = $"{repaired} lone UTF-16 surrogate escape{(repaired > 1 ? "s" : "")} replaced with U+FFFD";
            var value = JsonSerializer.Deserialize<T>(text, Json);
            return value ?? throw new InvalidRequestException("the body is `null`; it must be a JSON object");
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new InvalidRequestException("the body is not valid UTF-8");
        }
        catch (JsonException ex)
        {
            var at = ex.Path is { Length: > 0 } path ? $" at {path}" : "";
            var why = Plain(ex.Message.Split(" Path:", 2)[0]);
            throw new InvalidRequestException($"malformed JSON body{at}: {why}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new InvalidRequestException("the body is larger than this server accepts (--max-request-mb)", 413);
        }
    }

    /// <summary>System.Text.Json's messages name .NET types; a client knows JSON.</summary>
    private static string Plain(string message)
    {
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return "unknown field (check its spelling against the API: /openapi/v1.json)";
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var names = message.Split("including:", 2);
            return names.Length == 2 ? "missing required field(s):" + names[1] : message;
        }
        foreach (var (type, json) in new[] { ("System.String", "a string"), ("System.Double", "a number"), ("System.Int32", "an integer"), ("System.Boolean", "true or false"),
            ("System.Collections.Generic.IReadOnlyList", "a list"), ("Assay.Server", "an object") })
        {
            if (message.Contains("could not be converted to " + type, StringComparison.Ordinal)) return "expected " + json;
        }
        return message;
    }

    public static IResult Ok<T>(T value) => Results.Json(value, Json);

    /// <summary>An error answer: `{"error": message}` with the status.</summary>
    public static IResult Error(int statusCode, string message) => Results.Json(new ErrorAnswer(message), Json, statusCode: statusCode);

    /// <summary>A refusal by back-pressure, with Retry-After so that clients wait the right time.</summary>
    public static IResult Refused(HttpContext context, AdmissionDecision refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(refusal);
        if (refusal.RetryAfterSeconds > 0) context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(new ErrorAnswer(refusal.Message), Json, statusCode: refusal.StatusCode);
    }
}

/// <summary>Every error answer's body.</summary>
public sealed record ErrorAnswer(string Error);
