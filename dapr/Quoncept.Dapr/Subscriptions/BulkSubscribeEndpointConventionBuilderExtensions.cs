using Quoncept.Dapr;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// <c>app.MapPost("/orders", ...).WithTopic("pubsub", "orders").WithBulkSubscribe("orders", 100, 0)</c>, as in
/// <c>Dapr.AspNetCore</c>. Throws <see cref="ArgumentOutOfRangeException"/> at once for a count outside
/// 1..<see cref="BulkSubscribeAttribute.MaxMessagesCountLimit"/> or a wait outside 0..<see cref="BulkSubscribeAttribute.MaxAwaitDurationMsLimit"/>.
/// </summary>
public static class BulkSubscribeEndpointConventionBuilderExtensions
{
    public static T WithBulkSubscribe<T>(this T builder, string topicName,
        int maxMessagesCount = BulkSubscribeTopicOptions.DefaultMaxMessagesCount,
        int maxAwaitDurationMs = BulkSubscribeTopicOptions.DefaultMaxAwaitDurationMs) where T : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new BulkSubscribeAttribute(topicName, maxMessagesCount, maxAwaitDurationMs));
        return builder;
    }

    public static T WithBulkSubscribe<T>(this T builder, BulkSubscribeTopicOptions options) where T : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(options);
        return builder.WithBulkSubscribe(options.TopicName, options.MaxMessagesCount, options.MaxAwaitDurationMs);
    }
}
