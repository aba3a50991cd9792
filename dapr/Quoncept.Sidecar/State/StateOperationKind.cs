namespace Quoncept.Sidecar.State;

internal enum StateOperationKind
{
    Upsert,
    Delete,
}
