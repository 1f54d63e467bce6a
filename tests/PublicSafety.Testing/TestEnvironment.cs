namespace PublicSafety.Testing;

/// <summary>Where the real servers started by <c>./build.sh test</c> are, and where the built projects live.</summary>
public static class TestEnvironment
{
    /// <summary>Superuser connection to the shared test PostgreSQL; tests create their own databases on it.</summary>
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_PG")
        ?? "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres;Database=postgres";

    public static Uri RabbitUri => new(
        Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_RABBIT") ?? "amqp://publicsafety:publicsafety@127.0.0.1:55672/");

    /// <summary>PostgreSQL server binaries, for tests that run (and stop) a private cluster.</summary>
    public static string PostgresBinDir =>
        Environment.GetEnvironmentVariable("PUBLICSAFETY_PG_BINDIR") ?? "/usr/lib/postgresql/15/bin";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Debug or Release: the configuration these tests were built in, which is also the services'.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string ResultsDirectory
    {
        get
        {
            var dir = Path.Combine(RepositoryRoot, ".local", "test-logs");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PublicSafety.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PublicSafety.sln not found above " + AppContext.BaseDirectory);
    }
}
