using System.Globalization;
using Quoncept.Sidecar.Actors.Durations;

namespace Quoncept.Sidecar.Components;

/// <summary>
/// Reads a component's <c>spec.metadata</c> by Dapr's field names and checks every field up front: a field
/// the component reads is parsed (a bad value names the field and what it takes), a Dapr field this runtime
/// does not implement is refused with the reason, and an unknown field is refused with the closest known
/// name, so that no setting is silently ignored. Every error is a <see cref="ComponentLoadException"/>
/// naming the file, the component and the field.
/// </summary>
internal sealed class ComponentMetadata
{
    /// <summary>Fields the runtime handles for every component of a kind (scoping, actor store, key prefix, consumer group).</summary>
    private static readonly string[] RuntimeFields = ["__ignoreErrors", "actorStateStore", "keyPrefix", "consumerID"];

    private readonly ComponentDefinition _definition;

    private ComponentMetadata(ComponentDefinition definition) => _definition = definition;

    /// <summary>
    /// Checks every field of <paramref name="definition"/>: <paramref name="supported"/> are read by the
    /// component; <paramref name="refused"/> maps Dapr's fields this runtime does not implement to the reason.
    /// </summary>
    public static ComponentMetadata Check(ComponentDefinition definition, IReadOnlyCollection<string> supported,
        IReadOnlyDictionary<string, string> refused)
    {
        var metadata = new ComponentMetadata(definition);
        foreach (var field in definition.Metadata.Keys)
        {
            if (supported.Contains(field) || RuntimeFields.Contains(field, StringComparer.Ordinal))
            {
                continue;
            }
            if (refused.TryGetValue(field, out var reason))
            {
                throw metadata.Error(field, $"is a {definition.Type} field this runtime does not support: {reason}");
            }
            var closest = supported.Concat(refused.Keys).MinBy(known => EditDistance(known.ToLowerInvariant(), field.ToLowerInvariant()));
            var hint = closest is not null && EditDistance(closest.ToLowerInvariant(), field.ToLowerInvariant()) <= 3 ? $" Did you mean '{closest}'?" : "";
            throw metadata.Error(field, $"is not a {definition.Type} field.{hint} Fields: {string.Join(", ", supported.Order(StringComparer.Ordinal))}");
        }
        return metadata;
    }

    public string Name => _definition.Name;

    public string? Text(string field) =>
        _definition.Metadata.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public string Required(string field, string example) =>
        Text(field) ?? throw Error(field, $"is required ({example})");

    public bool Flag(string field, bool fallback = false)
    {
        if (Text(field) is not { } text)
        {
            return fallback;
        }
        return bool.TryParse(text, out var flag) ? flag : throw Error(field, $"'{text}' is not true or false");
    }

    public long Integer(string field, long fallback, long min = long.MinValue, long max = long.MaxValue)
    {
        if (Text(field) is not { } text)
        {
            return fallback;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(field, $"'{text}' is not a whole number{Range(min, max)}");
        }
        return value;
    }

    /// <summary>A Go duration ("250ms", "1m30s") or, as Dapr reads these fields, a whole number of milliseconds.</summary>
    public TimeSpan Duration(string field, TimeSpan fallback, TimeSpan? min = null)
    {
        if (Text(field) is not { } text)
        {
            return fallback;
        }
        TimeSpan value;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var millis))
        {
            value = TimeSpan.FromMilliseconds(millis);
        }
        else if (!GoDuration.TryParse(text, out value))
        {
            throw Error(field, $"'{text}' is not a duration (such as 500ms, 30s, 2m, or a number of milliseconds)");
        }
        if (min is { } least && value < least)
        {
            throw Error(field, $"'{text}' is below {least.TotalMilliseconds:0}ms");
        }
        return value;
    }

    /// <summary>One of <paramref name="choices"/> (compared ignoring case), or <paramref name="fallback"/> when absent.</summary>
    public string Choice(string field, string fallback, params string[] choices)
    {
        if (Text(field) is not { } text)
        {
            return fallback;
        }
        return choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
            ?? throw Error(field, $"'{text}' is not one of: {string.Join(", ", choices)}");
    }

    public ComponentLoadException Error(string field, string problem) =>
        new(_definition.SourceFile, $"component {_definition.Name} ({_definition.Type}): metadata field '{field}' {problem}");

    private static string Range(long min, long max) => (min, max) switch
    {
        (long.MinValue, long.MaxValue) => "",
        (_, long.MaxValue) => $" of at least {min}",
        _ => $" from {min} to {max}",
    };

    internal static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
