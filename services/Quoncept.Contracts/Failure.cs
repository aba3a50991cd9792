namespace Quoncept.Contracts;

/// <summary>Why a request was refused. Numbers are gRPC status codes (as quoncept.v1.ErrorCode).</summary>
public enum FailureCode
{
    InvalidArgument = 3,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    Internal = 13,
    Unavailable = 14,
    Unauthenticated = 16,
}

/// <summary>A refused request: the code and a message fit for the client.</summary>
public sealed record Failure(FailureCode Code, string Message);
