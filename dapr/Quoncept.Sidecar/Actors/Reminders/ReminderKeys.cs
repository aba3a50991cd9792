using System.Globalization;
using System.Text;

namespace Quoncept.Sidecar.Actors.Reminders;

/// <summary>
/// Where daprd keeps the reminders of an actor type in the actor state store
/// (https://docs.dapr.io/developing-applications/building-blocks/actors/howto-actors-partitioning/):
/// <c>actors||{type}</c> holds one JSON array when the type is not partitioned;
/// <c>actors||{type}||metadata</c> holds <c>{"id":..,"actorRemindersMetadata":{"partitionCount":N}}</c>, and then
/// the reminders live in <c>actors||{type}||{id}||reminders||{1..N}</c>. A reminder's partition is daprd's:
/// FNV-1a 32 of the UTF-8 bytes of actor id followed by reminder name, mod N, plus 1 — of the id and the
/// name, not the id alone, so one actor's reminders may sit in different partitions.
/// </summary>
internal static class ReminderKeys
{
    /// <summary>The most partitions a type may have: every load reads them all, so thousands would only cost.</summary>
    public const int MaxPartitions = 1000;

    private const string Separator = "||";
    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    public static string Unpartitioned(string actorType) => "actors" + Separator + actorType;

    public static string Metadata(string actorType) => "actors" + Separator + actorType + Separator + "metadata";

    /// <summary><c>actors||{type}||{metadataId}||reminders||{partition}</c>, partition counted from 1.</summary>
    public static string Partition(string actorType, string metadataId, int partition) =>
        "actors" + Separator + actorType + Separator + metadataId + Separator + "reminders" + Separator
        + partition.ToString(CultureInfo.InvariantCulture);

    /// <summary>The partition (1..<paramref name="partitionCount"/>) of a reminder; 0 when the type is not partitioned.</summary>
    public static int PartitionOf(string actorId, string reminderName, int partitionCount)
    {
        if (partitionCount <= 0)
        {
            return 0;
        }
        var hash = Fnv1a32(actorId, FnvOffsetBasis);
        hash = Fnv1a32(reminderName, hash);
        return (int)(hash % (uint)partitionCount) + 1;
    }

    private static uint Fnv1a32(string text, uint hash)
    {
        Span<byte> small = stackalloc byte[256];
        var length = Encoding.UTF8.GetByteCount(text);
        var bytes = length <= small.Length ? small[..length] : new byte[length];
        Encoding.UTF8.GetBytes(text, bytes);
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * FnvPrime);
        }
        return hash;
    }
}
