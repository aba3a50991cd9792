namespace Quoncept.Dapr;

public enum StateOperationType
{
    Upsert,
    Delete,
}
