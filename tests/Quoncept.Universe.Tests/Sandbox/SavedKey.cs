namespace Quoncept.Universe.Tests.Sandbox;

/// <summary>One key of a <see cref="SavedTransaction"/>: its name and size (null for a removal).</summary>
internal sealed record SavedKey(string Key, int? Bytes);
