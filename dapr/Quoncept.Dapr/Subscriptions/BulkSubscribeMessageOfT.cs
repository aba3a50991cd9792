namespace Quoncept.Dapr;

/// <summary>
/// A bulk delivery with its well-formed entries read as <typeparamref name="TValue"/>. Entries that could not be read
/// are not here: <see cref="BulkSubscribeMessage.HandleAsync{TValue}"/> answers DROP for them itself.
/// </summary>
public sealed class BulkSubscribeMessage<TValue>(
    IReadOnlyList<BulkSubscribeMessageEntry<TValue>> entries, string pubsubName, string topic, IReadOnlyDictionary<string, string> metadata)
{
    public IReadOnlyList<BulkSubscribeMessageEntry<TValue>> Entries { get; } = entries;

    public string PubsubName { get; } = pubsubName;

    public string Topic { get; } = topic;

    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;
}
