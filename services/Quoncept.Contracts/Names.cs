namespace Quoncept.Contracts;

/// <summary>Dapr app ids of the universe's services (dapr/dapr.yaml uses the same ids).</summary>
public static class AppIds
{
    public const string Sessions = "sessions";
    public const string Characters = "characters";
    public const string Systems = "systems";
    public const string Gateway = "gateway";
    public const string Chatlog = "chatlog";
}

/// <summary>Actor type names; the id of each actor is given in its interface's summary.</summary>
public static class ActorTypes
{
    public const string Session = "SessionActor";
    public const string Character = "CharacterActor";
    public const string System = "SystemActor";
    public const string Social = "SocialActor";
    public const string Channel = "ChannelActor";
}

/// <summary>Pub/sub component and topic. The topic carries <see cref="UniverseEvent"/> JSON.</summary>
public static class Topics
{
    public const string PubSub = "pubsub";

    /// <summary>Every state-changing event of every actor, published once, in each actor's order.</summary>
    public const string Events = "events";

    /// <summary>
    /// The firehose: every chat line, published once here: channel lines, direct messages and mail
    /// (<see cref="IChatLine"/>, here only) and system chat (<see cref="ChatPosted"/> and <see cref="ChatsPosted"/>, also on <see cref="Events"/>).
    /// </summary>
    public const string Chat = "chat";

    private static readonly string[] EventsOnly = [Events];
    private static readonly string[] ChatOnly = [Chat];
    private static readonly string[] EventsAndChat = [Events, Chat];

    /// <summary>
    /// The topics an event is published to. System chat goes to both: to <see cref="Events"/> because the
    /// gateways must see it in order with the arrivals and departures of its system (one sequence, one
    /// topic), and to <see cref="Chat"/> because the firehose carries every line said.
    /// </summary>
    public static IReadOnlyList<string> For(UniverseEvent e) => e switch
    {
        ChatPosted or ChatsPosted => EventsAndChat,
        IChatLine => ChatOnly,
        _ => EventsOnly,
    };

    /// <summary>
    /// The gateways' rule on <see cref="Chat"/>: the social lines. System chat reaches them on <see cref="Events"/>
    /// (<see cref="LiveMatch"/>), so its firehose copy is dropped by the sidecar before it costs a delivery.
    /// </summary>
    public const string SocialLineMatch =
        $"event.data.type == \"{nameof(ChannelMessagePosted)}\" || event.data.type == \"{nameof(DirectMessageSent)}\" || " +
        $"event.data.type == \"{nameof(MailDelivered)}\"";

    /// <summary>
    /// The routing rule (Dapr CEL over the CloudEvent) that picks the events gateways fan out to
    /// connections from <see cref="Events"/>: CharacterArrived, CharacterDeparted, ChatPosted, ChatsPosted
    /// (each with its system's sequence number), SessionEnded, and CharacterLoggedIn / CharacterLoggedOut (friends' presence). Gateways subscribe with this
    /// rule and no default route, so the sidecar drops the other events before they cost a
    /// delivery, and every replica has its own consumer, so each sees every live event.
    /// </summary>
    public const string LiveMatch =
        $"event.data.type == \"{nameof(CharacterArrived)}\" || event.data.type == \"{nameof(CharacterDeparted)}\" || " +
        $"event.data.type == \"{nameof(ChatPosted)}\" || event.data.type == \"{nameof(ChatsPosted)}\" || event.data.type == \"{nameof(SessionEnded)}\" || " +
        $"event.data.type == \"{nameof(CharacterLoggedIn)}\" || event.data.type == \"{nameof(CharacterLoggedOut)}\"";

    /// <summary>
    /// The characters app's presence subscription on <see cref="Events"/>: social actors learn of logouts and
    /// grace-period timeouts. Not of logins: the gateway brings the social actor online itself (ComeOnline, which
    /// also hands over the kept direct messages), so a login event would cost a delivery and an actor call for nothing.
    /// </summary>
    public const string PresenceMatch = $"event.data.type == \"{nameof(CharacterLoggedOut)}\"";
}

/// <summary>
/// The sessions app's service-invocation API (called by the gateway through its sidecar:
/// POST /v1.0/invoke/sessions/method/sessions).
/// </summary>
public static class SessionsApi
{
    /// <summary>
    /// Method name. Body <see cref="OpenSession"/>; answers 200 with <see cref="SessionGrant"/>,
    /// 400 with <see cref="Failure"/> for a malformed username, 404 with <see cref="Failure"/>
    /// for an unknown username.
    /// </summary>
    public const string OpenSessionMethod = "sessions";
}

/// <summary>Configuration keys (environment variables use "__" for ":").</summary>
public static class ConfigKeys
{
    /// <summary>
    /// HMAC-SHA256 key for session tokens, at least 32 bytes of UTF-8. Read by the sessions
    /// app (signing) and the gateway (validation); see <see cref="SessionTokens.KeyBytes"/>.
    /// Env: Quoncept__Jwt__SigningKey.
    /// </summary>
    public const string JwtSigningKey = "Quoncept:Jwt:SigningKey";

    /// <summary>Token lifetime as a TimeSpan ("01:00:00"); default one hour.</summary>
    public const string JwtLifetime = "Quoncept:Jwt:Lifetime";

    /// <summary>How long a dropped connection may take to come back ("00:00:30" default).</summary>
    public const string SessionGracePeriod = "Quoncept:Sessions:GracePeriod";

    /// <summary>Data file overrides (paths); each service ships its own default file.</summary>
    public const string UsersFile = "Quoncept:Data:Users";
    public const string CharactersFile = "Quoncept:Data:Characters";
    public const string SystemsFile = "Quoncept:Data:Systems";
}
