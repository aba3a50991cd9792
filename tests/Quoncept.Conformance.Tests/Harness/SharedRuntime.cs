namespace Quoncept.Conformance.Tests.Harness;

/// <summary>The runtime + app pair most tests share: no API tokens, actor remoting with the SDK's default DataContract serializer, reminders in one list.</summary>
public sealed class SharedRuntime() : RuntimePair("conformance", apiToken: null, appApiToken: null, jsonRemoting: false, reminderPartitions: 0);
