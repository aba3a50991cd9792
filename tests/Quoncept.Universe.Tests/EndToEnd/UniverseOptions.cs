namespace Quoncept.Universe.Tests.EndToEnd;

/// <summary>What a test that observes the universe changes about the one it starts: where spans go and how many.</summary>
internal sealed record UniverseOptions(Uri? ZipkinEndpoint = null, double SamplingRate = 0);
