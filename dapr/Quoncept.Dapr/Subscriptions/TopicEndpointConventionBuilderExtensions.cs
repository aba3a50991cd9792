using Quoncept.Dapr;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>app.MapPost("/orders", ...).WithTopic("pubsub", "orders")</c>, as in <c>Dapr.AspNetCore</c>.</summary>
public static class TopicEndpointConventionBuilderExtensions
{
    public static T WithTopic<T>(this T builder, string pubsubName, string name, bool enableRawPayload = false) where T : IEndpointConventionBuilder =>
        builder.WithTopic(new TopicOptions { PubsubName = pubsubName, Name = name, EnableRawPayload = enableRawPayload });

    public static T WithTopic<T>(this T builder, TopicOptions topic) where T : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(topic);
        var attribute = topic.ToAttribute();
        builder.WithMetadata(attribute);
        return builder;
    }
}
