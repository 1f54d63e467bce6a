using PublicSafety.DevToken;

namespace PublicSafety.Testing;

/// <summary>Tokens signed by a development key private to this test run, trusted by the processes tests start.</summary>
public static class TestTokens
{
    public static string KeyFile { get; } = Path.Combine(TestEnvironment.ResultsDirectory, "test-signing-key.pem");

    public static DevTokens Shared { get; } = DevTokens.FromKeyFile(KeyFile);

    public static string For(params string[] roles) => Shared.Create(new TokenRequest { Roles = roles, Client = "test-client" });

    public static string Create(TokenRequest request) => Shared.Create(request);
}
