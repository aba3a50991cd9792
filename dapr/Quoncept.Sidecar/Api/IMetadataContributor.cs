using Dapr.Client.Autogen.Grpc.v1;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// Adds to the metadata the sidecar reports for the calling instance (<c>GET /v1.0/metadata</c> and the
/// gRPC <c>GetMetadata</c> both render the one <see cref="GetMetadataResponse"/>); the actor runtime fills
/// <c>actor_runtime</c>. Register implementations as singletons.
/// </summary>
internal interface IMetadataContributor
{
    void Contribute(GetMetadataResponse metadata, AppInstance caller);
}
