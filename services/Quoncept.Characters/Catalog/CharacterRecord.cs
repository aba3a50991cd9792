namespace Quoncept.Characters.Catalog;

/// <summary>A character's static information: where it starts the first time it logs in.</summary>
internal sealed record CharacterRecord(string Id, string Name, string HomeSystemId);
