using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Quoncept.Benchmarks.Hops;

/// <summary>
/// The far end of one hop, run in a process of its own (a hop between processes is what the system pays, and a
/// server in the client's process would share its thread pool). Answers every <c>GET /h</c> with 204 and prints
/// "port N" once it listens; stops when its standard input closes (the benchmark ended or died).
/// <list type="bullet">
/// <item><c>socket</c>: a blocking socket, one thread per connection, the answer written as soon as a request's
/// header ends: the machine's floor for a request and its answer between two processes.</item>
/// <item><c>kestrel</c>: ASP.NET Core's Kestrel as every process of the system serves, with a minimal endpoint.</item>
/// <item><c>kestrel-inline</c>: the same with Kestrel's <c>UnsafePreferInlineScheduling</c> (the caller sets
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>): requests run on the socket's I/O thread, no thread-pool hand-off.</item>
/// </list>
/// </summary>
internal static class HopServer
{
    public static readonly string[] Kinds = ["socket", "kestrel", "kestrel-inline"];

    private static readonly byte[] NoContent = Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 1 || !Kinds.Contains(args[0]))
        {
            Console.Error.WriteLine($"error: hops-server takes one of: {string.Join(" | ", Kinds)}");
            return 2;
        }

        var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
        if (args[0] == "socket")
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
            Console.WriteLine($"port {((IPEndPoint)listener.LocalEndPoint!).Port}");
            new Thread(() => Accept(listener)) { IsBackground = true }.Start();
            await stdinClosed;
            return 0;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        if (args[0] == "kestrel-inline") builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        var app = builder.Build();
        app.MapGet("/h", () => Results.NoContent());
        await app.StartAsync();
        Console.WriteLine($"port {new Uri(app.Urls.First()).Port}");
        await stdinClosed;
        await app.StopAsync();
        return 0;
    }

    private static void Accept(Socket listener)
    {
        while (true)
        {
            var connection = listener.Accept();
            connection.NoDelay = true;
            new Thread(() => Serve(connection)) { IsBackground = true }.Start();
        }
    }

    private static void Serve(Socket connection)
    {
        using (connection)
        {
            var buffer = new byte[4096];
            var matched = 0;
            int read;
            while ((read = connection.Receive(buffer)) > 0)
            {
                // Requests are header-only GETs: each "\r\n\r\n" ends one.
                for (var i = 0; i < read; i++)
                {
                    matched = MatchHeaderEnd(matched, buffer[i]);
                    if (matched < 4) continue;
                    matched = 0;
                    connection.Send(NoContent);
                }
            }
        }
    }

    /// <summary>How much of "\r\n\r\n" (the end of a header-only request or answer) has been read, after <paramref name="next"/>; 4 = all of it.</summary>
    public static int MatchHeaderEnd(int matched, byte next) => next == "\r\n\r\n"[matched] ? matched + 1 : next == '\r' ? 1 : 0;
}
