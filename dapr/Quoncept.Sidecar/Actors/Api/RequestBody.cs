namespace Quoncept.Sidecar.Actors.Api;

/// <summary>Reads a whole request body (Kestrel's MaxRequestBodySize still applies and yields 413).</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length and <= int.MaxValue)
        {
            var exact = new byte[length];
            var read = 0;
            while (read < exact.Length)
            {
                var n = await request.Body.ReadAsync(exact.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    throw ActorErrors.Malformed($"the body ended after {read} of {length} bytes");
                }
                read += n;
            }
            return exact;
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
