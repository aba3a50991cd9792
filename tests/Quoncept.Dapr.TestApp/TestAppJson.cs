using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Dapr.TestApp;

/// <summary>Source-generated JSON for the bulk subscriber, as a service passes its own context's type info.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LedgerEvent))]
[JsonSerializable(typeof(Dictionary<string, int>))]
public sealed partial class TestAppJson : JsonSerializerContext
{
}
