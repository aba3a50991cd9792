namespace Quoncept.Conformance.TestApp;

/// <summary>
/// What the test publishes. <paramref name="FailTimes"/>: answer RETRY that many times first;
/// <paramref name="Mode"/> "drop" answers DROP; "skip" matches no bulk route; "widget" takes the priority rule route.
/// </summary>
public sealed record LedgerEvent(string Id, int Amount, int FailTimes = 0, string Mode = "ok");
