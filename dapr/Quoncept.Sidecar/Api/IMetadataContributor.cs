using System.Text.Json;
using Quoncept.Sidecar.Apps;

namespace Quoncept.Sidecar.Api;

/// <summary>
/// Adds top-level properties to <c>GET /v1.0/metadata</c> for the calling instance (the actor runtime
/// writes <c>actorRuntime</c> and <c>actors</c>). Register implementations as singletons.
/// </summary>
internal interface IMetadataContributor
{
    void WriteMetadata(Utf8JsonWriter json, AppInstance caller);
}
