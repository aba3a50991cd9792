using Dapr.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quoncept.Characters.Catalog;
using Quoncept.Characters.Live;
using Quoncept.Contracts;
using Quoncept.ServiceDefaults.Actors;
using Quoncept.Sessions.Sessions;
using Quoncept.Systems.Map;
using Quoncept.Systems.Presence;
using Quoncept.Universe.Tests.Sandbox;

namespace Quoncept.Universe.Tests.Domain;

/// <summary>
/// All the actor types (sessions, characters, systems, social, channels) in one <see cref="ActorSandbox"/> over a small universe:
/// s1 Aurora - s2 Bepra - s3 Cor (a line: s1 and s3 are not neighbours);
/// c1 Alice and c2 Bob start in s1, c3 Carol in s3; users alice, bob, carol.
/// Events go through the SDK's real DaprClient (gRPC) to a <see cref="PublishProbe"/>.
/// </summary>
internal sealed class UniverseSandbox : IAsyncDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly TempFiles _files = new();

    public UniverseSandbox()
    {
        var map = StarMap.Load(_files.Write("systems.tsv",
            "system_id\tname\tsecurity\tneighbours\ns1\tAurora\t1.0\ts2\ns2\tBepra\t0.5\ts1,s3\ns3\tCor\t-0.2\ts2\n"));
        var catalog = CharacterCatalog.Load(_files.Write("characters.tsv",
            "character_id\tname\thome_system_id\nc1\tAlice\ts1\nc2\tBob\ts1\nc3\tCarol\ts3\n"));
        Host = new ActorSandbox(
            [typeof(SystemActor), typeof(CharacterActor), typeof(SessionActor), typeof(Quoncept.Characters.Social.SocialActor), typeof(Quoncept.Characters.Channels.ChannelActor)],
            services =>
            {
                services.AddSingleton(map);
                services.AddSingleton(catalog);
                services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new SessionPolicy { GracePeriod = Grace }));
                services.AddSingleton(sp => new EventPublisher(
                    new DaprClientBuilder()
                        .UseGrpcEndpoint("http://127.0.0.1:50001")
                        .UseGrpcChannelOptions(new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = Probe })
                        .UseJsonSerializationOptions(WireJson.Options)
                        .Build(),
                    sp.GetRequiredService<ILogger<EventPublisher>>()));
            });
        Probe.SavedState = () => Host.ActorState;
        Host.Settle = () => Host.Services.GetRequiredService<EventPublisher>().WhenPublishedAsync();
    }

    public ActorSandbox Host { get; }

    public PublishProbe Probe { get; } = new();

    public ICharacterActor Character(string id) => Host.CreateProxy<ICharacterActor>(id, ActorTypes.Character);

    public ISystemActor System(string id) => Host.CreateProxy<ISystemActor>(id, ActorTypes.System);

    public ISessionActor Session(string username) => Host.CreateProxy<ISessionActor>(username, ActorTypes.Session);

    public ISocialActor Social(string characterId) => Host.CreateProxy<ISocialActor>(characterId, ActorTypes.Social);

    public IChannelActor Channel(string name) => Host.CreateProxy<IChannelActor>(name, ActorTypes.Channel);

    public IReadOnlyList<SystemEvent> LiveOf(string systemId) => [.. Probe.Live.OfType<SystemEvent>().Where(e => e.SystemId == systemId)];

    public async ValueTask DisposeAsync()
    {
        // Deactivation waits for the actors' publishes: a broker a test left held lets them through.
        Probe.Hold = null;
        await Host.DisposeAsync();
        _files.Dispose();
    }
}
