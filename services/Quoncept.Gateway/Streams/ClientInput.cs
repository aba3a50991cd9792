using System.Buffers;

namespace Quoncept.Gateway.Streams;

/// <summary>Checks on values clients choose: connection ids, request ids, usernames, ids, chat text.</summary>
internal static class ClientInput
{
    public const int MaxIdLength = 64;

    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    /// <summary>Connection ids, request ids and entity ids: 1..64 of [A-Za-z0-9._:-]. Returns an error message or null.</summary>
    public static string? CheckId(string? value, string what)
    {
        if (string.IsNullOrEmpty(value)) return $"{what} is required";
        if (value.Length > MaxIdLength) return $"{what} is longer than {MaxIdLength} characters";
        if (value.AsSpan().ContainsAnyExcept(IdChars)) return $"{what} may only contain letters, digits and . _ : -";
        return null;
    }

    /// <summary>Chat text: 1..500 characters without control characters.</summary>
    public static string? CheckChatText(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "chat text must not be empty";
        if (text.Length > Contracts.ChatLimits.MaxTextLength) return $"chat text is longer than {Contracts.ChatLimits.MaxTextLength} characters";
        foreach (var ch in text)
        {
            if (char.IsControl(ch)) return "chat text must not contain control characters";
        }
        return null;
    }
}
