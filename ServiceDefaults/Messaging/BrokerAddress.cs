namespace PublicSafety.ServiceDefaults.Messaging;

/// <summary>The broker of <c>ConnectionStrings:messaging</c>: <c>amqp[s]://user:password@host:port/vhost</c>.</summary>
public sealed record BrokerAddress(Uri Uri)
{
    public string Host => Uri.Host;

    public int Port => Uri.IsDefaultPort || Uri.Port <= 0 ? (UseSsl ? 5671 : 5672) : Uri.Port;

    public bool UseSsl => Uri.Scheme.Equals("amqps", StringComparison.OrdinalIgnoreCase);

    /// <summary>"/" for the default virtual host, else the path without its leading slash (URL-decoded).</summary>
    public string VirtualHost => Uri.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(Uri.AbsolutePath[1..]);

    public string UserName => Credential(0) ?? "guest";

    public string Password => Credential(1) ?? "guest";

    private string? Credential(int index)
    {
        var parts = Uri.UserInfo.Split(':', 2);
        return parts.Length > index && parts[index].Length > 0 ? Uri.UnescapeDataString(parts[index]) : null;
    }
}
