namespace Quoncept.Dapr.Tests.Runtime;

/// <summary>One local runtime + app pair shared by the runtime-tier tests, which run one at a time.</summary>
[CollectionDefinition(nameof(LocalRuntimeCollection), DisableParallelization = true)]
public sealed class LocalRuntimeCollection : ICollectionFixture<LocalRuntime>;
