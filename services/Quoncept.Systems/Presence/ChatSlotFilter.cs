using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Quoncept.Systems.Presence;

/// <summary>
/// Which <see cref="ChatRing"/> slots may hold a request: one 64-bit Bloom filter per slot (two bits per request
/// key, from XxHash3 of its UTF-8), all of them saved in the head (<see cref="SystemHead.ChatIndex"/>, 512 bytes).
/// The first chat after an activation reads only the slots whose filter matches one of its requests (none, mostly,
/// while turns are single lines) instead of every slot one round trip after another. A false match costs one read of
/// a slot, never a wrong answer. A slot of a 64-line batch sets most of its 64 bits and matches most requests.
/// </summary>
internal static class ChatSlotFilter
{
    public const int IndexLength = ChatRing.Capacity * sizeof(ulong);

    /// <summary>The filter bits of one request key.</summary>
    public static ulong Bits(string key)
    {
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(key));
        return (1UL << (int)(hash & 63)) | (1UL << (int)((hash >> 6) & 63));
    }

    /// <summary>The filter of a slot holding these entries' keys.</summary>
    public static ulong Of<T>(IEnumerable<Quoncept.ServiceDefaults.Actors.RequestLogEntry<T>>? entries)
    {
        var filter = 0UL;
        foreach (var entry in entries ?? []) filter |= Bits(entry.Key);
        return filter;
    }

    public static bool MayHold(ulong filter, ulong bits) => (filter & bits) == bits;

    public static ulong Read(byte[] index, int slot) => BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(slot * sizeof(ulong)));

    public static void Write(byte[] index, int slot, ulong filter) => BinaryPrimitives.WriteUInt64LittleEndian(index.AsSpan(slot * sizeof(ulong)), filter);
}
