using Quoncept.Contracts;
using Quoncept.V1;

namespace Quoncept.Gateway;

/// <summary>Contracts records (what the actors say) to quoncept.v1 messages (what clients read).</summary>
internal static class ProtoMapping
{
    public static Character ToProto(this CharacterView c) => new()
    {
        Id = c.Id,
        Name = c.Name,
        SystemId = c.SystemId,
        Online = c.Online,
        LastSeenUnixMs = c.LastSeenUnixMs,
    };

    public static SystemInfo ToProto(this SystemInfoView s)
    {
        var info = new SystemInfo { Id = s.Id, Name = s.Name, Security = s.Security };
        foreach (var n in s.Neighbours) info.Neighbours.Add(new SystemRef { Id = n.Id, Name = n.Name });
        return info;
    }

    public static SystemSnapshot ToProto(this SystemSnapshotView s)
    {
        var snapshot = new SystemSnapshot { System = s.System.ToProto(), Sequence = s.Sequence };
        foreach (var c in s.Present) snapshot.Present.Add(c.ToProto());
        return snapshot;
    }

    public static ErrorCode ToProto(this FailureCode code) => code switch
    {
        FailureCode.InvalidArgument => ErrorCode.InvalidArgument,
        FailureCode.NotFound => ErrorCode.NotFound,
        FailureCode.AlreadyExists => ErrorCode.AlreadyExists,
        FailureCode.PermissionDenied or FailureCode.Unauthenticated => ErrorCode.PermissionDenied,
        FailureCode.ResourceExhausted => ErrorCode.ResourceExhausted,
        FailureCode.FailedPrecondition => ErrorCode.FailedPrecondition,
        FailureCode.Aborted => ErrorCode.Aborted,
        FailureCode.Unavailable => ErrorCode.Unavailable,
        _ => ErrorCode.Internal,
    };

    public static Grpc.Core.StatusCode ToStatusCode(this FailureCode code) => (Grpc.Core.StatusCode)(int)code;

    public static ServerMessage ToErrorMessage(this Failure failure) => Error(failure.Code.ToProto(), failure.Message);

    public static ServerMessage Error(ErrorCode code, string message) => new() { Error = new Error { Code = code, Message = message } };

    /// <summary>A live system event as the clients in that system receive it; null for events clients never see.</summary>
    public static ServerMessage? ToProto(this SystemEvent e) => e switch
    {
        Contracts.CharacterArrived a => new ServerMessage
        {
            CharacterArrived = new V1.CharacterArrived
            {
                SystemId = a.SystemId,
                Sequence = a.Sequence,
                Character = a.Character.ToProto(),
                FromSystemId = a.FromSystemId ?? "",
                OccurredAtUnixMs = a.OccurredAtUnixMs,
            },
        },
        Contracts.CharacterDeparted d => new ServerMessage
        {
            CharacterDeparted = new V1.CharacterDeparted
            {
                SystemId = d.SystemId,
                Sequence = d.Sequence,
                CharacterId = d.CharacterId,
                CharacterName = d.CharacterName,
                ToSystemId = d.ToSystemId ?? "",
                Reason = d.Reason,
                OccurredAtUnixMs = d.OccurredAtUnixMs,
            },
        },
        ChatPosted c => new ServerMessage
        {
            ChatMessage = new V1.ChatMessage
            {
                SystemId = c.SystemId,
                Sequence = c.Sequence,
                CharacterId = c.CharacterId,
                CharacterName = c.CharacterName,
                Text = c.Text,
                OccurredAtUnixMs = c.OccurredAtUnixMs,
            },
        },
        _ => null,
    };

    /// <summary>The character an arrival or departure is about (it is not told of itself); null for chat, which everyone present hears.</summary>
    public static string? Subject(this SystemEvent e) => e switch
    {
        Contracts.CharacterArrived a => a.Character.Id,
        Contracts.CharacterDeparted d => d.CharacterId,
        _ => null,
    };
}
