using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Dapr.Wire;

/// <summary>Source-generated serializers for the library's own envelopes; user payloads go through the caller's options.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DaprErrorBody))]
[JsonSerializable(typeof(StateOptionsWire))]
[JsonSerializable(typeof(StateItemWire))]
[JsonSerializable(typeof(BulkGetRequestWire))]
[JsonSerializable(typeof(BulkGetItemWire))]
[JsonSerializable(typeof(TransactionOperationWire))]
[JsonSerializable(typeof(TransactionWire))]
[JsonSerializable(typeof(ActorStateOperationWire))]
[JsonSerializable(typeof(ActorStateRequestWire))]
[JsonSerializable(typeof(ReminderWire))]
[JsonSerializable(typeof(TimerWire))]
[JsonSerializable(typeof(ReentrancyWire))]
[JsonSerializable(typeof(ActorConfigWire))]
[JsonSerializable(typeof(RouteRuleWire))]
[JsonSerializable(typeof(RoutesWire))]
[JsonSerializable(typeof(SubscriptionWire))]
[JsonSerializable(typeof(TopicStatusWire))]
[JsonSerializable(typeof(ActorErrorWire))]
[JsonSerializable(typeof(CloudEventWire))]
[JsonSerializable(typeof(BulkSubscribeWire))]
[JsonSerializable(typeof(BulkSubscribeRequestWire))]
[JsonSerializable(typeof(BulkSubscribeResponseWire))]
[JsonSerializable(typeof(List<StateItemWire>))]
[JsonSerializable(typeof(List<BulkGetItemWire>))]
[JsonSerializable(typeof(List<ActorStateOperationWire>))]
[JsonSerializable(typeof(List<SubscriptionWire>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class DaprWireContext : JsonSerializerContext
{
}
