namespace Quoncept.Contracts;

/// <summary>A character as others see it (static name + live state).</summary>
/// <param name="SystemId">The system it is in, or was last in when offline.</param>
/// <param name="LastSeenUnixMs">Last login, move or logout; 0 if never.</param>
public sealed record CharacterView(string Id, string Name, string SystemId, bool Online, long LastSeenUnixMs);

/// <summary>One end of a jump lane.</summary>
public sealed record SystemRefView(string Id, string Name);

/// <summary>Static information about a system; Move only goes to one of <paramref name="Neighbours"/>.</summary>
/// <param name="Security">-1.0 .. 1.0.</param>
public sealed record SystemInfoView(string Id, string Name, double Security, IReadOnlyList<SystemRefView> Neighbours);

/// <summary>
/// Who is in a system as of <paramref name="Sequence"/>: the system's next live event carries
/// Sequence + 1, so a gap tells the reader its snapshot is stale.
/// </summary>
public sealed record SystemSnapshotView(SystemInfoView System, IReadOnlyList<CharacterView> Present, ulong Sequence);

/// <summary>Why a character left a system (the proto's CharacterDeparted.reason values).</summary>
public static class DepartureReasons
{
    public const string Moved = "moved";
    public const string Logout = "logout";
    public const string Timeout = "timeout";
}

/// <summary>Why a session ended (the proto's Terminate.reason value the gateway sends).</summary>
public static class SessionEndReasons
{
    public const string Replaced = "replaced";
}
