using System.Net;

namespace Quoncept.Benchmarks.DaprLib;

/// <summary>Answers every request 204 at once, so a client benchmark measures the library, not a sidecar.</summary>
internal sealed class NullSidecarHandler : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        return new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
    }
}
