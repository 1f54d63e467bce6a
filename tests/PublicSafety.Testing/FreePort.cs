using System.Net;
using System.Net.Sockets;

namespace PublicSafety.Testing;

public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999). A port from bind(0) comes from that range, the same one the kernel
    // draws the source ports of outgoing connections from: with several test assemblies running at once, a client socket
    // of another process could take the port between this check and the service's own bind ("address already in use").
    private const int First = 20000;
    private const int Last = 32767;

    /// <summary>A loopback port that was free a moment ago and that the kernel does not hand to outgoing connections.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        using var fallback = new TcpListener(IPAddress.Loopback, 0);
        fallback.Start();
        return ((IPEndPoint)fallback.LocalEndpoint).Port;
    }
}
