using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quoncept.Contracts;

/// <summary>Source-generated JSON (web defaults: camelCase) for every contract type.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UniverseEvent))]
[JsonSerializable(typeof(Failure))]
[JsonSerializable(typeof(OpenSession))]
[JsonSerializable(typeof(SessionGrant))]
[JsonSerializable(typeof(StartSession))]
[JsonSerializable(typeof(SessionStartOutcome))]
[JsonSerializable(typeof(AttachSession))]
[JsonSerializable(typeof(AttachOutcome))]
[JsonSerializable(typeof(DetachSession))]
[JsonSerializable(typeof(DetachOutcome))]
[JsonSerializable(typeof(SessionStatus))]
[JsonSerializable(typeof(LoginCommand))]
[JsonSerializable(typeof(LogoutCommand))]
[JsonSerializable(typeof(MoveCommand))]
[JsonSerializable(typeof(LoginOutcome))]
[JsonSerializable(typeof(LogoutOutcome))]
[JsonSerializable(typeof(MoveOutcome))]
[JsonSerializable(typeof(CharacterLookup))]
[JsonSerializable(typeof(EnterSystem))]
[JsonSerializable(typeof(LeaveSystem))]
[JsonSerializable(typeof(ChatCommand))]
[JsonSerializable(typeof(SnapshotOutcome))]
[JsonSerializable(typeof(LeaveOutcome))]
[JsonSerializable(typeof(ChatOutcome))]
[JsonSerializable(typeof(ChatBatch))]
[JsonSerializable(typeof(ChatBatchOutcome))]
[JsonSerializable(typeof(SystemLookup))]
public sealed partial class ContractsJson : JsonSerializerContext;
