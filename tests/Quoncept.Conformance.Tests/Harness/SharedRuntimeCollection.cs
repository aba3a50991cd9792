namespace Quoncept.Conformance.Tests.Harness;

/// <summary>
/// One runtime + app pair for the tests of this collection, which run one at a time: some kill and restart
/// the app, and the pub/sub tests count deliveries.
/// </summary>
[CollectionDefinition(nameof(SharedRuntimeCollection), DisableParallelization = true)]
public sealed class SharedRuntimeCollection : ICollectionFixture<SharedRuntime>;
