namespace PublicSafety.Bench.GatewayOverhead;

public sealed class CompositeDisposable(params IDisposable[] parts) : IDisposable
{
    public void Dispose()
    {
        foreach (var part in parts)
        {
            part.Dispose();
        }
    }
}
