using System.Net;
using System.Net.Sockets;

namespace PublicSafety.Gateway.Limits;

/// <summary>
/// Who "one caller" is for the per-address limits. An IPv4 address is one caller (or one NAT). An IPv6 /64 is one: ISPs
/// give a household or a phone a whole /64 (or more), and a client picks any of its 2^64 addresses at will, so a limit
/// per IPv6 address is no limit at all.
/// </summary>
public static class ClientNetwork
{
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
