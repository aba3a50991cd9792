namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>
/// What a test that observes the universe changes about the one it starts: where spans go and how many, and
/// more variables for every app (e.g. tight gateway limits), state kept in a SQLite file across restarts.
/// </summary>
internal sealed record UniverseOptions(Uri? ZipkinEndpoint = null, double SamplingRate = 0, IReadOnlyDictionary<string, string>? Environment = null, bool Persistent = false);
