using Google.Protobuf;

namespace Quoncept.Grpc;

/// <summary>Frames a response message into the response body (unflushed).</summary>
internal static class ServerMessageOutput
{
    public static void Write(HttpServerCallContext call, IMessage message)
    {
        call.PrepareResponseHeaders();
        MessageWriter.Write(call.HttpContext.Response.BodyWriter, message, call.Options.SendLimit, call.CompressResponses);
        call.MessageWritten = true;
    }
}
