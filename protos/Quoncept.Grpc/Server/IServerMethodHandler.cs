using Microsoft.AspNetCore.Http;

namespace Quoncept.Grpc;

/// <summary>A bound method, ready to be mapped to its endpoint.</summary>
internal interface IServerMethodHandler
{
    string Path { get; }

    Task HandleAsync(HttpContext http);
}
