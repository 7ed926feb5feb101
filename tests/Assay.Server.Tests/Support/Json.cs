using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Assay.Server.Tests.Support;

/// <summary>Posting JSON and reading answers as plain JSON, the way a Python client sees them.</summary>
internal static class Json
{
    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        return (Status: (int)response.StatusCode, Body: await ReadAsync(response), Response: response);
    }

    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostRawAsync(HttpClient client, string path, string body,
        string contentType = "application/json")
    {
        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));
        return ((int)response.StatusCode, await ReadAsync(response), response);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }

    /// <summary>An object literal with snake_case keys as written (anonymous types keep names as declared).</summary>
    public static JsonObject Obj(params (string Key, JsonNode? Value)[] pairs)
    {
        var o = new JsonObject();
        foreach (var (k, v) in pairs) o[k] = v;
        return o;
    }

    public static double? Score(this JsonElement result) => result.GetProperty("score").ValueKind == JsonValueKind.Null ? null : result.GetProperty("score").GetDouble();

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static int Int(this JsonElement e, string name) => e.GetProperty(name).GetInt32();

    public static bool Bool(this JsonElement e, string name) => e.GetProperty(name).GetBoolean();
}
