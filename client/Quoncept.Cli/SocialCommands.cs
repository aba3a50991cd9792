using Quoncept.Client;
using Quoncept.V1;
using Spectre.Console;

namespace Quoncept.Cli;

/// <summary>The social commands of the live view (channels, direct messages, mail, friends, blocking, subscriptions) and how their live events print.</summary>
internal sealed class SocialCommands(QuonceptConnection connection, IAnsiConsole console)
{
    public const string Help = """
        channels: /world <text>   /join <channel>   /create <channel> [private]   /leave <channel>
                  /c <channel> <text>   /invite <channel> <character id>   /channels
        direct:   /w <character id> <text>
        mail:     /mail   /mail send <character id> <subject> | <body>   /mail read <id>   /mail delete <id>
        friends:  /friends   /follow <character id>   /unfollow <character id>
        blocking: /block <character id>   /unblock <character id>
        events:   /sub all | none | <kinds: presence chat channels direct mail friends>
        """;

    private static readonly Dictionary<string, LiveKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["presence"] = LiveKind.SystemPresence,
        ["chat"] = LiveKind.SystemChat,
        ["channels"] = LiveKind.Channels,
        ["direct"] = LiveKind.Direct,
        ["mail"] = LiveKind.Mail,
        ["friends"] = LiveKind.Friends,
    };

    /// <summary>What waits for the character, printed after login.</summary>
    public void ShowLogin(SocialSummary? social)
    {
        if (social is null) return;
        console.MarkupLineInterpolated($"[grey]mail: {social.UnreadMail} unread; channels: {string.Join(", ", social.Channels.Select(c => c.Name).Prepend("world"))}; friends online: {string.Join(", ", social.Friends.Where(f => f.Online).Select(f => f.Name))}; waiting messages: {social.WaitingDirectMessages}[/]");
    }

    /// <summary>Runs <paramref name="verb"/> if it is a social command; false when it is not one.</summary>
    public async Task<bool> TryExecuteAsync(string verb, string rest, CancellationToken ct)
    {
        var (first, tail) = Split(rest);
        switch (verb)
        {
            case "/world":
                Said(await connection.SayAsync("world", rest, ct));
                return true;
            case "/c":
                Said(await connection.SayAsync(first, tail, ct));
                return true;
            case "/join":
                ShowChannel(await connection.JoinChannelAsync(first, ct), "joined");
                return true;
            case "/create":
                ShowChannel(await connection.CreateChannelAsync(first, tail.Equals("private", StringComparison.OrdinalIgnoreCase), ct), "created");
                return true;
            case "/leave":
                ShowChannel(await connection.LeaveChannelAsync(first, ct), "left");
                return true;
            case "/invite":
                ShowChannel(await connection.InviteAsync(first, tail, ct), $"invited {tail} to");
                return true;
            case "/channels":
                var channels = await connection.ListChannelsAsync(ct);
                console.MarkupLineInterpolated($"world (everyone online); {string.Join("; ", channels.Value.Channels.Select(c => $"{c.Name}{(c.Private ? " (private)" : "")}: {c.MemberCount} members, #{c.Sequence}"))}");
                return true;
            case "/w":
                var sent = await connection.SendDirectAsync(first, tail, ct);
                console.MarkupLineInterpolated($"[grey]to {first}: {(sent.Value.DeliveredLive ? "delivered" : "kept until they log in")} ({sent.Latency.TotalMilliseconds:F1} ms)[/]");
                return true;
            case "/mail":
                await MailAsync(first, tail, ct);
                return true;
            case "/friends":
                ShowFriends(await connection.ListFriendsAsync(ct));
                return true;
            case "/follow":
                ShowFriends(await connection.FollowAsync(first, ct));
                return true;
            case "/unfollow":
                ShowFriends(await connection.UnfollowAsync(first, ct));
                return true;
            case "/block":
            case "/unblock":
                var blocked = verb == "/block" ? await connection.BlockAsync(first, ct) : await connection.UnblockAsync(first, ct);
                console.MarkupLineInterpolated($"blocked: {string.Join(", ", blocked.Value.CharacterIds)}");
                return true;
            case "/sub":
                await SubscribeAsync(rest, ct);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Prints a social live event; false when <paramref name="e"/> is not one.</summary>
    public bool TryPrint(LiveEvent e)
    {
        if (e.ChannelLine is { } line)
        {
            console.MarkupLineInterpolated($"[blue][[{line.Channel}]][/] [aqua]{line.CharacterName}[/]: {line.Text} [grey](#{line.Sequence})[/]");
        }
        else if (e.Direct is { } direct)
        {
            console.MarkupLineInterpolated($"[fuchsia]{direct.FromName} ({direct.FromCharacterId}) whispers[/]: {direct.Text}{(direct.Kept ? " [grey](while you were away)[/]" : "")}");
        }
        else if (e.Mail is { } mail)
        {
            console.MarkupLineInterpolated($"[yellow]mail {mail.Header.MailId} from {mail.Header.FromName}[/]: {mail.Header.Subject} [grey]({mail.Unread} unread; /mail read {mail.Header.MailId})[/]");
        }
        else if (e.Friend is { } friend)
        {
            console.MarkupLineInterpolated($"[green]friend {friend.Name}[/] is {(friend.Online ? "online" : "offline")}");
        }
        else
        {
            return false;
        }
        return true;
    }

    private async Task MailAsync(string action, string rest, CancellationToken ct)
    {
        switch (action)
        {
            case "":
                ShowMail((await connection.ListMailAsync(ct)).Value);
                return;
            case "send":
                var (to, text) = Split(rest);
                var bar = text.IndexOf('|', StringComparison.Ordinal);
                if (bar < 0)
                {
                    console.MarkupLine("[yellow]usage: /mail send <character id> <subject> | <body>[/]");
                    return;
                }
                var sent = await connection.SendMailAsync(to, text[..bar].Trim(), text[(bar + 1)..].Trim(), ct);
                console.MarkupLineInterpolated($"[grey]mail {sent.Value.MailId} sent to {to}[/]");
                return;
            case "read" when ulong.TryParse(rest, out var readId):
                var mail = (await connection.ReadMailAsync(readId, ct)).Value;
                console.MarkupLineInterpolated($"[yellow]{mail.Header.Subject}[/] from {mail.Header.FromName} ({mail.Header.FromCharacterId}), {DateTimeOffset.FromUnixTimeMilliseconds(mail.Header.SentAtUnixMs):u}\n{mail.Body}");
                return;
            case "delete" when ulong.TryParse(rest, out var deleteId):
                ShowMail((await connection.DeleteMailAsync(deleteId, ct)).Value);
                return;
            default:
                console.MarkupLine("[yellow]usage: /mail | /mail send <character id> <subject> | <body> | /mail read <id> | /mail delete <id>[/]");
                return;
        }
    }

    private async Task SubscribeAsync(string rest, CancellationToken ct)
    {
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<LiveKind> kinds = words switch
        {
            ["all"] => Kinds.Values,
            ["none"] => [],
            _ => words.Where(Kinds.ContainsKey).Select(w => Kinds[w]),
        };
        if (words is not (["all"] or ["none"]) && (words.Length == 0 || words.Any(w => !Kinds.ContainsKey(w))))
        {
            console.MarkupLineInterpolated($"[yellow]usage: /sub all | none | {string.Join(" ", Kinds.Keys)}[/]");
            return;
        }
        var subscribed = await connection.SubscribeAsync(kinds, ct);
        console.MarkupLineInterpolated($"[grey]live events: {string.Join(", ", subscribed.Value.Kinds.Select(k => Kinds.First(p => p.Value == k).Key))}[/]");
    }

    private void Said(Answer<ChannelSaid> said) =>
        console.MarkupLineInterpolated($"[grey]said in {said.Value.Channel} (#{said.Value.Sequence}, {said.Latency.TotalMilliseconds:F1} ms)[/]");

    private void ShowChannel(Answer<ChannelResult> result, string what)
    {
        var c = result.Value.Channel;
        console.MarkupLineInterpolated($"[grey]{what} {c.Name}{(c.Private ? " (private)" : "")}: {c.MemberCount} members ({result.Latency.TotalMilliseconds:F1} ms)[/]");
        foreach (var line in result.Value.History)
        {
            console.MarkupLineInterpolated($"[blue][[{line.Channel}]][/] [grey]{line.CharacterName}: {line.Text} (#{line.Sequence})[/]");
        }
    }

    private void ShowMail(MailList list)
    {
        console.MarkupLineInterpolated($"mailbox: {list.Mails.Count}/{list.Capacity}, {list.Unread} unread");
        foreach (var m in list.Mails)
        {
            console.MarkupLineInterpolated($"  {(m.Read ? " " : "*")} {m.MailId}  {m.FromName}: {m.Subject}");
        }
    }

    private void ShowFriends(Answer<FriendList> friends) =>
        console.MarkupLineInterpolated($"friends: {string.Join(", ", friends.Value.Friends.Select(f => $"{f.Name} ({f.CharacterId}) {(f.Online ? "online" : "offline")}"))}");

    private static (string First, string Remainder) Split(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }
}
