using Quoncept.Contracts;

namespace Quoncept.ServiceDefaults.Actors;

/// <summary>Validation of the ids a client makes up (the proto: request id 1..64 characters; connection id 1..64 of [A-Za-z0-9._:-]).</summary>
public static class RequestIds
{
    public const int MaxLength = 64;

    /// <summary>The answer to a call whose JSON body was null.</summary>
    public static readonly Failure MissingRequest = new(FailureCode.InvalidArgument, "the request body is missing");

    /// <summary>Null when both ids are usable, else the failure to answer.</summary>
    public static Failure? Check(string? requestId, string? connectionId)
    {
        if (string.IsNullOrEmpty(requestId) || requestId.Length > MaxLength)
        {
            return new Failure(FailureCode.InvalidArgument, $"request id must be 1..{MaxLength} characters");
        }

        if (string.IsNullOrEmpty(connectionId) || connectionId.Length > MaxLength)
        {
            return new Failure(FailureCode.InvalidArgument, $"connection id must be 1..{MaxLength} characters");
        }

        return null;
    }
}
