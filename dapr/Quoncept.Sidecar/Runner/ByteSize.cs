using System.Globalization;

namespace Quoncept.Sidecar.Runner;

/// <summary>Sizes as daprd writes them: <c>4Mi</c>, <c>512Ki</c>, <c>4MB</c>, or plain bytes.</summary>
internal static class ByteSize
{
    public static long Parse(string text, string what)
    {
        var units = new (string Suffix, long Factor)[] { ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1) };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && long.TryParse(text[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
            {
                return count * factor;
            }
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? bytes
            : throw new CommandLineException($"{what} '{text}' is not a size such as 4Mi, 512Ki or 4194304");
    }
}
