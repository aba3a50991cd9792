namespace Quoncept.Dapr;

/// <summary>Dapr state consistency: <c>eventual</c> or <c>strong</c>.</summary>
public enum ConsistencyMode
{
    Eventual,
    Strong,
}
