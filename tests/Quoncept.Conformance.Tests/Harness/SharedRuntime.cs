namespace Quoncept.Conformance.Tests.Harness;

/// <summary>The runtime + app pair most tests share: no API token, actor remoting with the SDK's default DataContract serializer.</summary>
public sealed class SharedRuntime() : RuntimePair("conformance", apiToken: null, jsonRemoting: false);
