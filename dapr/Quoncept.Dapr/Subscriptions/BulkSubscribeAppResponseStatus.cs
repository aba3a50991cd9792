namespace Quoncept.Dapr;

/// <summary>What the app says about one entry of a bulk delivery; the names are the wire values.</summary>
public enum BulkSubscribeAppResponseStatus
{
    /// <summary>Processed; do not redeliver.</summary>
    SUCCESS,

    /// <summary>Redeliver later (the sidecar's retry policy decides when).</summary>
    RETRY,

    /// <summary>Do not redeliver; the event goes to the dead-letter topic when one is declared.</summary>
    DROP,
}
